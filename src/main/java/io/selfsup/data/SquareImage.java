package io.selfsup.data;

import ai.djl.modality.cv.Image;
import java.awt.image.BufferedImage;

/**
 * How any picture becomes a 32x32 training image: centre crop to a square, resize, and R, G, B planes of
 * bytes. One place, so that training on a folder, ssl-encode and the Java predictor see the same pixels.
 */
public final class SquareImage {

    public static final int SIDE = 32;

    private SquareImage() {}

    /** Writes the image's 3 x 32 x 32 planes at {@code offset} of {@code dst}. */
    public static void toPlanes(Image image, byte[] dst, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int side = Math.min(w, h);
        Image square = side == w && side == h ? image : image.getSubImage((w - side) / 2, (h - side) / 2, side, side);
        Image small = square.resize(SIDE, SIDE, true);
        int[] argb = ((BufferedImage) small.getWrappedImage()).getRGB(0, 0, SIDE, SIDE, null, 0, SIDE);
        int plane = SIDE * SIDE;
        for (int p = 0; p < plane; p++) {
            dst[offset + p] = (byte) (argb[p] >> 16);
            dst[offset + plane + p] = (byte) (argb[p] >> 8);
            dst[offset + 2 * plane + p] = (byte) argb[p];
        }
    }
}
