package io.selfsup.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.selfsup.Limits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A picture file as training sees it: decoded by ImageIO (with TwelveMonkeys' JPEG and WebP readers) and turned
 * upright by its EXIF orientation. Java callers of a run's model load files with this to get the same pixels as
 * training on a folder did; {@code ImageFactory.fromFile} leaves a phone photo as its sensor stored it.
 */
public final class ImageFiles {

    private ImageFiles() {}

    /**
     * The picture in {@code file} the way it is meant to be seen: a JPEG's EXIF orientation applied. The file is read
     * once; the dimensions its header declares are checked against {@link Limits#IMAGE_PIXELS} before any pixel
     * is allocated (a decompression bomb is an IOException saying so).
     */
    public static Image read(Path file) throws IOException {
        return read(Files.readAllBytes(file));
    }

    /** The picture whose file holds {@code bytes} (a Spark {@code binaryFile} row's content), as {@link #read(Path)}. */
    public static Image read(byte[] bytes) throws IOException {
        BufferedImage image = decode(bytes);
        int orientation = ExifOrientation.of(bytes);
        return ImageFactory.getInstance().fromImage(orientation == ExifOrientation.NORMAL ? image
                : ExifOrientation.upright(image, orientation));
    }

    private static BufferedImage decode(byte[] bytes) throws IOException {
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no image decoder takes it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageHeader header = new ImageHeader(reader.getWidth(0), reader.getHeight(0));
                if (header.tooLarge()) {
                    throw new IOException("it declares " + header.width() + "x" + header.height()
                            + " pixels, more than the " + Limits.IMAGE_PIXELS + " selfsup decodes");
                }
                return reader.read(0, reader.getDefaultReadParam());
            } finally {
                reader.dispose();
            }
        }
    }
}
