package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    @Test
    void normalizesLikeToTensorThenNormalize() {
        byte[] pixels = new byte[3 * 2 * 2];
        int[] values = {0, 1, 127, 128, 254, 255, 3, 50, 100, 150, 200, 250};
        for (int i = 0; i < values.length; i++) {
            pixels[i] = (byte) values[i];
        }
        ImageStore store = new ImageStore(pixels, null, List.of(), 3, 2, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = new BatchLoader(store, 4).load(manager, new int[] {0}, 0, 1, Device.cpu());
            assertArrayEquals(new long[] {1, 3, 2, 2}, batch.getShape().getShape());
            float[] got = batch.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                float expected = (values[i] / 255f - 0.5f) / 0.5f;
                assertEquals(expected, got[i], 0f, "pixel value " + values[i]);
            }
        }
    }

    @Test
    void gathersImagesInTheGivenOrder() {
        ImageStore store = DataSources.open(DataSourcesTest.MINI).load(Split.TEST).first(8);
        int[] order = {5, 2, 7};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = new BatchLoader(store, 8).load(manager, order, 1, 3, Device.cpu());
            NDArray single = new BatchLoader(store, 8).load(manager, new int[] {7}, 0, 1, Device.cpu());
            assertEquals(2, batch.getShape().get(0));
            assertArrayEquals(single.toFloatArray(), batch.get(1).toFloatArray());
        }
    }

    @Test
    void epochOrderIsAReproduciblePermutationThatChangesPerEpoch() {
        int[] a = EpochOrder.shuffled(1000, 42, 1);
        assertArrayEquals(a, EpochOrder.shuffled(1000, 42, 1));
        assertNotEquals(Arrays.toString(a), Arrays.toString(EpochOrder.shuffled(1000, 42, 2)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(EpochOrder.shuffled(1000, 43, 1)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(EpochOrder.sequential(1000), sorted);
    }
}
