package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.selfsup.data.augment.AugmentationRecipe;
import io.selfsup.data.augment.ViewPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An epoch's batches: augmented views drop the last partial batch (unless there is no full one), as the
 * PyTorch recipes do; plain images keep it.
 */
class ViewBatchesTest {

    private static ImageStore images(int n) {
        return new ImageStore(new byte[n * 3 * 2 * 2], null, List.of(), 3, 2, 2);
    }

    @Test
    void augmentedViewsDropTheLastPartialBatch() {
        ViewBatches batches = new ViewBatches(images(70), ViewPlan.of(List.of(AugmentationRecipe.simclr()), 32), 32, 1);
        assertEquals(2, batches.batchesPerEpoch());
        assertEquals(64, batches.imagesPerEpoch());
        assertEquals(32, batches.firstImage(1));
        assertEquals(64, batches.endImage(1));
    }

    @Test
    void augmentedViewsOfFewerImagesThanABatchKeepTheOnlyPartialOne() {
        ViewBatches batches = new ViewBatches(images(20), ViewPlan.of(List.of(AugmentationRecipe.simclr()), 32), 32, 1);
        assertEquals(1, batches.batchesPerEpoch());
        assertEquals(20, batches.imagesPerEpoch());
        assertEquals(20, batches.endImage(0));
    }

    @Test
    void plainImagesKeepTheLastPartialBatch() {
        ViewBatches batches = new ViewBatches(images(70), ViewPlan.NONE, 32, 1);
        assertEquals(3, batches.batchesPerEpoch());
        assertEquals(70, batches.imagesPerEpoch());
        assertEquals(64, batches.firstImage(2));
        assertEquals(70, batches.endImage(2));
    }
}
