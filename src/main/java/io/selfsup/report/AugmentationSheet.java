package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;

/**
 * A picture of what the augmentations do to some images: originals on the top row, then one row per view (the
 * global views, then multi-crop's local views at their own, smaller size), each pixel drawn as a 3 x 3 square.
 */
public final class AugmentationSheet {

    private static final int SCALE = 3;

    private AugmentationSheet() {}

    /**
     * @param originals normalized (N, 3, H, W) in [-1, 1], on the CPU
     * @param views each view of the same N images in the network's order, (N, 3, h, w) with h, w at most H, W
     */
    public static BufferedImage render(NDArray originals, NDArray... views) {
        NDArray[] rows = new NDArray[views.length + 1];
        rows[0] = originals;
        System.arraycopy(views, 0, rows, 1, views.length);
        return ImageRows.render(SCALE, rows);
    }
}
