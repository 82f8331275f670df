package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ViewBatches;
import io.selfsup.report.AugmentationSheet;
import io.selfsup.run.RunDirectory;
import java.awt.image.BufferedImage;

/**
 * Writes augmentations.png when a new run of a view-based method begins: the first images of the data and
 * all their views, global and local, as the first epoch's first batch draws them.
 */
final class AugmentationSheetListener implements TrainingListener {

    private final ViewBatches batches;
    private final NDManager parent;
    private final RunDirectory run;

    AugmentationSheetListener(ViewBatches batches, NDManager parent, RunDirectory run) {
        this.batches = batches;
        this.parent = parent;
        this.run = run;
    }

    @Override
    public void onTrainingBegin(boolean newRun) {
        if (newRun && batches.augmented()) {
            run.writePicture("augmentations.png", sheet());
        }
    }

    private BufferedImage sheet() {
        int n = Math.min(8, batches.size());
        try (NDManager manager = parent.newSubManager()) {
            int[] order = EpochOrder.sequential(n);
            NDList views = batches.views(manager, order, 0, n, 1, 0, Device.cpu());
            NDArray originals = batches.originals(manager, order, 0, n, Device.cpu());
            return AugmentationSheet.render(originals, views.toArray(new NDArray[0]));
        }
    }
}
