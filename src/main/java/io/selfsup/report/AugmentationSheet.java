package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A picture of what the augmentations do to some images: originals on the top row, the first view below,
 * the second view at the bottom, each pixel drawn as a SCALE x SCALE square.
 */
public final class AugmentationSheet {

    private static final int SCALE = 3;
    private static final int GAP = 4;

    private AugmentationSheet() {}

    /**
     * @param originals normalized (N, 3, H, W) in [-1, 1], on the CPU
     * @param view1 the first view of each image, same shape
     * @param view2 the second view, same shape
     */
    public static BufferedImage render(NDArray originals, NDArray view1, NDArray view2) {
        long[] s = originals.getShape().getShape();
        if (!originals.getShape().equals(view1.getShape()) || !originals.getShape().equals(view2.getShape())) {
            throw new IllegalArgumentException("originals " + originals.getShape() + " and views "
                    + view1.getShape() + ", " + view2.getShape() + " differ in shape");
        }
        int n = (int) s[0];
        int h = (int) s[2];
        int w = (int) s[3];
        int cellW = w * SCALE + GAP;
        int cellH = h * SCALE + GAP;
        BufferedImage image = new BufferedImage(n * cellW + GAP, 3 * cellH + GAP, BufferedImage.TYPE_INT_RGB);
        int[] white = new int[image.getWidth() * image.getHeight()];
        Arrays.fill(white, 0xFFFFFF);
        image.setRGB(0, 0, image.getWidth(), image.getHeight(), white, 0, image.getWidth());
        NDArray[] rows = {originals, view1, view2};
        for (int row = 0; row < rows.length; row++) {
            draw(image, rows[row].toFloatArray(), n, h, w, GAP + row * cellH);
        }
        return image;
    }

    private static void draw(BufferedImage image, float[] chw, int n, int h, int w, int top) {
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int left = GAP + i * (w * SCALE + GAP);
            int base = i * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    int rgb = (toByte(chw[base + p]) << 16) | (toByte(chw[base + plane + p]) << 8)
                            | toByte(chw[base + 2 * plane + p]);
                    for (int dy = 0; dy < SCALE; dy++) {
                        for (int dx = 0; dx < SCALE; dx++) {
                            image.setRGB(left + x * SCALE + dx, top + y * SCALE + dy, rgb);
                        }
                    }
                }
            }
        }
    }

    /** [-1, 1] back to 0..255, the inverse of Normalize(0.5, 0.5) after ToTensor. */
    private static int toByte(float v) {
        return Math.max(0, Math.min(255, Math.round((v * 0.5f + 0.5f) * 255f)));
    }
}
