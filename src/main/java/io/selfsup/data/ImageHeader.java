package io.selfsup.data;

import io.selfsup.Limits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The dimensions an image file declares, read from its header by ImageIO without decoding a pixel: what a folder's
 * typical size is chosen from, and how a decompression bomb (a small file declaring a huge image) is refused before
 * its pixels are allocated.
 */
record ImageHeader(int width, int height) {

    /** The first image's dimensions, or empty when no ImageIO reader takes the file. */
    static Optional<ImageHeader> read(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return Optional.empty();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return Optional.of(new ImageHeader(reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    long pixels() {
        return (long) width * height;
    }

    int shorterSide() {
        return Math.min(width, height);
    }

    /** Whether decoding it would allocate more than {@link Limits#IMAGE_PIXELS} pixels. */
    boolean tooLarge() {
        return pixels() > Limits.IMAGE_PIXELS;
    }
}
