package io.selfsup.data;

import ai.djl.modality.cv.Image;
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
}
