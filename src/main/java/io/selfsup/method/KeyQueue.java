package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MoCo's queues of negatives, one per global view: the normalized momentum keys of the latest batches, one a row,
 * (views, size, dim). They are a parameter that requires no gradient, so the optimizer never touches them and a
 * checkpoint holds them, as solo-learn's registered buffer. They start as random unit vectors drawn from the
 * engine's seeded generator (solo-learn: F.normalize(torch.randn(...))). A training forward pass {@link #remember}s
 * its keys; {@link #push} writes them after the optimizer step, first in, first out.
 *
 * <p>The write position is not stored: every step of a run writes a batch of the same size (ViewBatches makes full
 * batches only), so step s starts at ((s - 1) * batch) mod size, and a resumed run continues where it stopped.
 * A batch that does not fit before the end wraps around to the start, so the size need not be a multiple of the
 * batch (solo-learn asserts that it is).
 */
final class KeyQueue extends AbstractBlock {

    private final Parameter keys;
    private NDArray pending;

    KeyQueue(int views, int size, int dim) {
        keys = addParameter(Parameter.builder().setName("keys").setType(Parameter.Type.OTHER).optRequiresGrad(false)
                .optShape(new Shape(views, size, dim)).optInitializer(KeyQueue::randomUnitRows).build());
    }

    private static NDArray randomUnitRows(NDManager manager, Shape shape, DataType dataType) {
        NDArray drawn = manager.randomNormal(shape, dataType);
        NDArray norm = drawn.norm(new int[] {2}, true);
        NDArray unit = drawn.div(norm.maximum(1e-12f));
        drawn.close();
        norm.close();
        return unit;
    }

    /** The parameter holding the queues, (views, size, dim). */
    Parameter parameter() {
        return keys;
    }

    /**
     * Keeps a training step's keys, (views * batch, dim), global view after global view, until {@link #push}: a
     * copy owned by the queue's manager, so it outlives the batch. A step whose keys were never pushed is dropped.
     */
    void remember(NDArray stepKeys) {
        dropPending();
        NDArray copy = stepKeys.duplicate();
        copy.attach(keys.getArray().getManager());
        pending = copy;
    }

    /** Writes the remembered keys of optimizer step {@code step} (counted from 1 over the run) into the queues. */
    void push(long step) {
        if (pending == null) {
            return;
        }
        NDArray queue = keys.getArray();
        long views = queue.getShape().get(0);
        long size = queue.getShape().get(1);
        long batch = pending.getShape().get(0) / views;
        long start = Math.floorMod((step - 1) * batch, size);
        // a batch larger than the queue leaves only its last keys, as writing them one after another would
        long skipped = Math.max(0, batch - size);
        long count = batch - skipped;
        long at = (start + skipped) % size;
        long first = Math.min(count, size - at);
        for (long v = 0; v < views; v++) {
            long row = v * batch + skipped;
            write(queue, v, at, pending.get(new NDIndex("{}:{}", row, row + first)));
            if (first < count) {
                write(queue, v, 0, pending.get(new NDIndex("{}:{}", row + first, row + count)));
            }
        }
        dropPending();
    }

    private static void write(NDArray queue, long view, long at, NDArray rows) {
        queue.set(new NDIndex("{}, {}:{}", view, at, at + rows.getShape().get(0)), rows);
        rows.close();
    }

    private void dropPending() {
        if (pending != null) {
            pending.close();
            pending = null;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        throw new UnsupportedOperationException("the key queue is read through its parameter, not run");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {keys.getShape()};
    }
}
