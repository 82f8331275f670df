package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Rows of images on a white sheet, each pixel drawn as a scale x scale square so 32 x 32 images are visible:
 * the layout of the run directory's pictures.
 */
final class ImageRows {

    private static final int GAP = 4;

    private ImageRows() {}

    /** @param rows normalized (N, 3, H, W) batches in [-1, 1] on the CPU, all of the same shape, one per row */
    static BufferedImage render(int scale, NDArray... rows) {
        for (NDArray row : rows) {
            if (!row.getShape().equals(rows[0].getShape())) {
                throw new IllegalArgumentException("rows of shapes " + rows[0].getShape() + " and " + row.getShape()
                        + " differ");
            }
        }
        long[] s = rows[0].getShape().getShape();
        int n = (int) s[0];
        int h = (int) s[2];
        int w = (int) s[3];
        int cellW = w * scale + GAP;
        int cellH = h * scale + GAP;
        BufferedImage image = new BufferedImage(n * cellW + GAP, rows.length * cellH + GAP,
                BufferedImage.TYPE_INT_RGB);
        int[] white = new int[image.getWidth() * image.getHeight()];
        Arrays.fill(white, 0xFFFFFF);
        image.setRGB(0, 0, image.getWidth(), image.getHeight(), white, 0, image.getWidth());
        for (int row = 0; row < rows.length; row++) {
            draw(image, rows[row].toFloatArray(), n, h, w, scale, GAP + row * cellH);
        }
        return image;
    }

    private static void draw(BufferedImage image, float[] chw, int n, int h, int w, int scale, int top) {
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int left = GAP + i * (w * scale + GAP);
            int base = i * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    int rgb = (toByte(chw[base + p]) << 16) | (toByte(chw[base + plane + p]) << 8)
                            | toByte(chw[base + 2 * plane + p]);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(left + x * scale + dx, top + y * scale + dy, rgb);
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
