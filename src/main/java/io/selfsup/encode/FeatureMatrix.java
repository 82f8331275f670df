package io.selfsup.encode;

import io.selfsup.nn.Pooling;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selfsup.data.BatchLoader;
import io.selfsup.data.EpochOrder;
import io.selfsup.data.ImageStore;

/** Feature matrices held whole in memory (on the CPU), for DJL's NPZ encoder and for evaluation. */
public final class FeatureMatrix {

    private FeatureMatrix() {}

    /** A zero (rows, dim) float32 matrix to fill with {@link #fill}. */
    public static NDArray allocate(NDManager manager, long rows, long dim) {
        return manager.zeros(new Shape(rows, dim), DataType.FLOAT32);
    }

    /**
     * Encodes every image of {@code images} into rows offset.. of {@code target}.
     *
     * @param label the console progress line's name for this pass, or null for none
     */
    public static void fill(NDArray target, long offset, FeatureEncoder encoder, ImageStore images, Pooling pooling,
                            int batchSize, String label) {
        encoder.encodeAll(images, pooling, batchSize, label, (rows, first) -> target.set(
                new NDIndex("{}:{}", offset + first, offset + first + rows.getShape().get(0)),
                rows.toDevice(target.getDevice(), false)));
    }

    /** The images themselves, normalized to [-1, 1] and flattened: the raw-pixel baseline. */
    public static NDArray pixels(NDManager manager, ImageStore images, int batchSize) {
        NDArray target = allocate(manager, images.size(), images.imageBytes());
        BatchLoader loader = new BatchLoader(images, batchSize);
        int[] order = EpochOrder.sequential(images.size());
        for (int from = 0; from < images.size(); from += batchSize) {
            int to = Math.min(images.size(), from + batchSize);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = loader.load(batch, order, from, to, target.getDevice());
                target.set(new NDIndex("{}:{}", from, to), x.reshape(to - from, -1));
            }
        }
        return target;
    }

    /** Class labels as int64. */
    public static NDArray labels(NDManager manager, ImageStore images) {
        long[] labels = new long[images.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        return manager.create(labels);
    }
}
