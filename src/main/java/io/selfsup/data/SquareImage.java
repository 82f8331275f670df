package io.selfsup.data;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * How any picture becomes a square training image: centre crop to a square, resize to the run's side, and R, G, B
 * planes of bytes. One place, so that training on a folder, ssl-encode and the Java predictor see the same pixels.
 */
public final class SquareImage {

    /** CIFAR's side, the default image size. */
    public static final int SIDE = 32;

    private SquareImage() {}

    /** Writes the image's 3 x 32 x 32 planes at {@code offset} of {@code dst}. */
    public static void toPlanes(Image image, byte[] dst, int offset) {
        toPlanes(image, SIDE, dst, offset);
    }

    /** Writes the image's 3 x {@code side} x {@code side} planes at {@code offset} of {@code dst}. */
    public static void toPlanes(Image image, int side, byte[] dst, int offset) {
        image = drawable(image);
        int w = image.getWidth();
        int h = image.getHeight();
        int crop = Math.min(w, h);
        Image square = crop == w && crop == h ? image : image.getSubImage((w - crop) / 2, (h - crop) / 2, crop, crop);
        Image small = square.resize(side, side, true);
        int[] argb = ((BufferedImage) small.getWrappedImage()).getRGB(0, 0, side, side, null, 0, side);
        int plane = side * side;
        for (int p = 0; p < plane; p++) {
            dst[offset + p] = (byte) (argb[p] >> 16);
            dst[offset + plane + p] = (byte) (argb[p] >> 8);
            dst[offset + 2 * plane + p] = (byte) argb[p];
        }
    }

    /**
     * The image as one DJL's crop and resize can draw: they copy into a new image of the source's type, which fails
     * for ImageIO's custom types (16-bit PNG, gray with alpha, most TIFFs: "Unknown image type 0") and maps a palette
     * image's colours to another palette (black). Those become 8-bit RGB first, every other type is left as it is.
     */
    private static Image drawable(Image image) {
        if (!(image.getWrappedImage() instanceof BufferedImage b)) {
            return image;
        }
        int type = b.getType();
        if (type != BufferedImage.TYPE_CUSTOM && type != BufferedImage.TYPE_BYTE_INDEXED
                && type != BufferedImage.TYPE_BYTE_BINARY) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(b.getWidth(), b.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(b, 0, 0, null);
        } finally {
            g.dispose();
        }
        return ImageFactory.getInstance().fromImage(rgb);
    }
}
