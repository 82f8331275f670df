package io.selfsup.train;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;
import io.selfsup.data.ViewBatches;
import io.selfsup.data.augment.ViewPlan;

/**
 * The mean loss on held-out images in inference mode, measured after each epoch: all of them for the
 * autoencoder (the article's test loss), the first {@link #VIEW_TEST_IMAGES} with fixed views for view-based
 * methods.
 */
final class TestLoss {

    /** Test images a view-based method's test loss is measured on: its cost stays a few % of an epoch. */
    static final int VIEW_TEST_IMAGES = 2048;
    private static final long TEST_VIEW_SEED = 0x7E57L;

    private final ViewBatches batches;
    private final Device device;

    TestLoss(ImageStore test, ViewPlan views, int batchSize, long seed, Device device) {
        ImageStore images = views.augmented() ? test.first(VIEW_TEST_IMAGES) : test;
        this.batches = new ViewBatches(images, views, batchSize, seed ^ TEST_VIEW_SEED);
        this.device = device;
    }

    double measure(Trainer trainer) {
        int[] order = EpochOrder.sequential(batches.size());
        double lossSum = 0;
        int counted = 0;
        for (int b = 0; b < batches.batchesPerEpoch(); b++) {
            int from = batches.firstImage(b);
            int to = batches.endImage(b);
            try (NDManager batchManager = trainer.getManager().newSubManager()) {
                NDList views = batches.views(batchManager, order, from, to, 0, b, device);
                NDList outputs = trainer.evaluate(views);
                lossSum += trainer.getLoss().evaluate(views, outputs).getFloat() * (to - from);
                counted += to - from;
            }
        }
        return lossSum / counted;
    }
}
