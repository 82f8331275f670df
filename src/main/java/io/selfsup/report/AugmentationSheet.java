package io.selfsup.report;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;

/**
 * A picture of what the augmentations do to some images: originals on the top row, then one row per view (the
 * global views, then multi-crop's local views at their own, smaller size), each pixel drawn as a 3 x 3 square for
 * images of up to 32 pixels; larger ones are enlarged less, to about {@link #CELL} pixels (not at all from 64 up).
 */
public final class AugmentationSheet {

    private static final int SMALL_SCALE = 3;
    private static final int SMALL = 32;
    /** Width a larger original is drawn at, at least: 32-pixel images need enlarging to be seen, 96-pixel ones not. */
    private static final int CELL = 96;

    private AugmentationSheet() {}

    /**
     * @param originals normalized (N, 3, H, W) in [-1, 1], on the CPU
     * @param views each view of the same N images in the network's order, (N, 3, h, w) with h, w at most H, W
     */
    public static BufferedImage render(NDArray originals, NDArray... views) {
        NDArray[] rows = new NDArray[views.length + 1];
        rows[0] = originals;
        System.arraycopy(views, 0, rows, 1, views.length);
        int side = (int) originals.getShape().get(3);
        return ImageRows.render(side <= SMALL ? SMALL_SCALE : Math.max(1, CELL / side), rows);
    }
}
