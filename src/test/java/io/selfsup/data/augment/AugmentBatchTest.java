package io.selfsup.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.CifarBinary;
import io.selfsup.data.ImageStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** Proves the batched entry point: reproducible, seed-sensitive, thread-count independent and consistent with BatchLoader. */
class AugmentBatchTest {

    private static final ImageStore STORE =
            CifarBinary.read(List.of(Path.of("data", "cifar10-mini", "test_batch.bin"))).first(64);
    private static final int[] ORDER = {9, 3, 40, 0, 17, 63, 5, 22, 31, 8, 50, 11};

    @Test
    void noAugmentationIsTheIdentityUpToNormalizationBitForBit() {
        // all probabilities 0, crop scale and ratio exactly 1: the full image, resized 32 -> 32, unchanged
        AugmentationRecipe none = new AugmentationRecipe(1, 1, 1, 1, 0, 0.4, 0.4, 0.4, 0.1, 0, 0, 0);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray views = new ViewAugmenter(none, 32, 16).load(manager, STORE, ORDER, 2, 12, 99, Device.cpu());
            NDArray plain = new BatchLoader(STORE, 16).load(manager, ORDER, 2, 12, Device.cpu());
            assertArrayEquals(plain.toFloatArray(), views.toFloatArray());
        }
    }

    @Test
    void sameSeedSameBatchOtherSeedOtherBatch() {
        ViewAugmenter augmenter = new ViewAugmenter(AugmentationRecipe.byolSecond(), 32, 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            long seed = ViewAugmenter.batchSeed(1, 0, 0, 0);
            // all three kept alive: also proves the reused staging buffers are not shared with returned arrays
            NDArray a = augmenter.load(manager, STORE, ORDER, 0, 12, seed, Device.cpu());
            NDArray b = augmenter.load(manager, STORE, ORDER, 0, 12, ViewAugmenter.batchSeed(1, 0, 0, 1), Device.cpu());
            NDArray again = augmenter.load(manager, STORE, ORDER, 0, 12, seed, Device.cpu());
            assertArrayEquals(new long[] {12, 3, 32, 32}, a.getShape().getShape());
            assertArrayEquals(a.toFloatArray(), again.toFloatArray());
            float[] x = a.toFloatArray();
            float[] y = b.toFloatArray();
            int plane = 3 * 32 * 32;
            for (int i = 0; i < 12; i++) {
                assertFalse(Arrays.equals(x, i * plane, (i + 1) * plane, y, i * plane, (i + 1) * plane),
                        "image " + i + " differs between the two views");
            }
        }
    }

    @Test
    void batchSeedsDifferForEveryEpochBatchAndView() {
        Set<Long> seeds = new HashSet<>();
        for (int epoch = 0; epoch < 10; epoch++) {
            for (int batch = 0; batch < 50; batch++) {
                for (int view = 0; view < 2; view++) {
                    seeds.add(ViewAugmenter.batchSeed(42, epoch, batch, view));
                }
            }
        }
        assertEquals(1000, seeds.size());
    }

    @Test
    void parallelResultEqualsSequentialResult() throws Exception {
        ViewAugmenter augmenter = new ViewAugmenter(AugmentationRecipe.simclr(), 32, 64);
        int[] order = new int[64];
        Arrays.setAll(order, i -> 63 - i);
        float[] sequential = new float[64 * augmenter.viewFloats()];
        float[] parallel = new float[64 * augmenter.viewFloats()];
        ForkJoinPool one = new ForkJoinPool(1);
        ForkJoinPool four = new ForkJoinPool(4);
        try {
            one.submit(() -> augmenter.augment(STORE, order, 0, 64, 5, sequential)).get();
            four.submit(() -> augmenter.augment(STORE, order, 0, 64, 5, parallel)).get();
        } finally {
            one.shutdown();
            four.shutdown();
        }
        assertArrayEquals(sequential, parallel);
    }
}
