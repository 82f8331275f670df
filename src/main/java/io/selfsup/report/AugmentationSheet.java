package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;

/**
 * A picture of what the augmentations do to some images: originals on the top row, the first view below,
 * the second view at the bottom, each pixel drawn as a 3 x 3 square.
 */
public final class AugmentationSheet {

    private static final int SCALE = 3;

    private AugmentationSheet() {}

    /**
     * @param originals normalized (N, 3, H, W) in [-1, 1], on the CPU
     * @param view1 the first view of each image, same shape
     * @param view2 the second view, same shape
     */
    public static BufferedImage render(NDArray originals, NDArray view1, NDArray view2) {
        return ImageRows.render(SCALE, originals, view1, view2);
    }
}
