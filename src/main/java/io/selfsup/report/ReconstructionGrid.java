package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;

/**
 * A picture of what the autoencoder makes of some images: originals on the top row, reconstructions below,
 * each pixel drawn as a 4 x 4 square so 32x32 images are visible.
 */
public final class ReconstructionGrid {

    private static final int SCALE = 4;

    private ReconstructionGrid() {}

    /**
     * @param originals normalized (N, 3, H, W) in [-1, 1], on the CPU
     * @param reconstructions the model's output for them, same shape
     */
    public static BufferedImage render(NDArray originals, NDArray reconstructions) {
        return ImageRows.render(SCALE, originals, reconstructions);
    }
}
