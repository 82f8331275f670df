package io.selfsup.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A picture file as training sees it: decoded by ImageIO (with TwelveMonkeys' JPEG and WebP readers) and turned
 * upright by its EXIF orientation. Java callers of a run's model load files with this to get the same pixels as
 * training on a folder did; {@code ImageFactory.fromFile} leaves a phone photo as its sensor stored it.
 */
public final class ImageFiles {

    private ImageFiles() {}

    /** The picture in {@code file} the way it is meant to be seen: a JPEG's EXIF orientation applied. */
    public static Image read(Path file) throws IOException {
        Image image = ImageFactory.getInstance().fromFile(file);
        int orientation = ExifOrientation.of(file);
        return orientation == ExifOrientation.NORMAL ? image : ImageFactory.getInstance().fromImage(
                ExifOrientation.upright((BufferedImage) image.getWrappedImage(), orientation));
    }
}
