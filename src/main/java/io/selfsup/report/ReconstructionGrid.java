package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;

/**
 * A picture of what the autoencoder makes of some images: originals on the top row, reconstructions below,
 * each pixel drawn as a SCALE x SCALE square so 32x32 images are visible.
 */
public final class ReconstructionGrid {

    private static final int SCALE = 4;
    private static final int GAP = 4;

    private ReconstructionGrid() {}

    /**
     * @param originals normalized (N, 3, H, W) in [-1, 1]
     * @param reconstructions the model's output for them, same shape
     */
    public static BufferedImage render(NDArray originals, NDArray reconstructions) {
        long[] s = originals.getShape().getShape();
        int n = (int) s[0];
        int h = (int) s[2];
        int w = (int) s[3];
        int cellW = w * SCALE + GAP;
        int cellH = h * SCALE + GAP;
        BufferedImage image = new BufferedImage(n * cellW + GAP, 2 * cellH + GAP, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                image.setRGB(x, y, 0xFFFFFF);
            }
        }
        draw(image, originals.toFloatArray(), n, h, w, GAP);
        draw(image, reconstructions.toFloatArray(), n, h, w, GAP + cellH);
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
