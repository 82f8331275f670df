package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Rows of images on a white sheet, each pixel drawn as a scale x scale square so 32 x 32 images are visible:
 * the layout of the run directory's pictures.
 */
final class ImageRows {

    private static final int GAP = 4;

    private ImageRows() {}

    /**
     * @param rows normalized (N, 3, H, W) batches in [-1, 1] on the CPU, one per row, all of N images; a row of
     *             smaller images (multi-crop's local views) is drawn at its own size in cells as wide as the widest
     */
    static BufferedImage render(int scale, NDArray... rows) {
        long n = rows[0].getShape().get(0);
        int cellW = 0;
        int height = GAP;
        for (NDArray row : rows) {
            Shape s = row.getShape();
            if (s.dimension() != 4 || s.get(0) != n || s.get(1) != 3) {
                throw new IllegalArgumentException("rows of shapes " + rows[0].getShape() + " and " + s
                        + " do not hold the same images");
            }
            cellW = Math.max(cellW, (int) s.get(3) * scale + GAP);
            height += (int) s.get(2) * scale + GAP;
        }
        BufferedImage image = new BufferedImage((int) n * cellW + GAP, height, BufferedImage.TYPE_INT_RGB);
        int[] white = new int[image.getWidth() * image.getHeight()];
        Arrays.fill(white, 0xFFFFFF);
        image.setRGB(0, 0, image.getWidth(), image.getHeight(), white, 0, image.getWidth());
        int top = GAP;
        for (NDArray row : rows) {
            int h = (int) row.getShape().get(2);
            draw(image, row.toFloatArray(), (int) n, h, (int) row.getShape().get(3), scale, cellW, top);
            top += h * scale + GAP;
        }
        return image;
    }

    private static void draw(BufferedImage image, float[] chw, int n, int h, int w, int scale, int cellW, int top) {
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int left = GAP + i * cellW;
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
