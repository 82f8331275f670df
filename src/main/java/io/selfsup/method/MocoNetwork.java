package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selfsup.nn.ProjectionHead;

/**
 * MoCo v2+'s query encoder, momentum key encoder and queues of negatives in one block, so that a checkpoint holds
 * the key encoder and the queues too. The key encoder ({@link MomentumTarget}) and the queues ({@link KeyQueue})
 * require no gradient: the optimizer never touches them. Its forward takes the global views first, then any local
 * ones, and returns the query projections of every view (V * N rows, not normalized), the normalized keys of the
 * global views (G * N rows, no gradient) and the queues (G, Q, D) as they were before this step.
 */
final class MocoNetwork extends AbstractBlock {

    private final int globalViews;
    private final ProjectedBackbone online;
    private final ProjectedBackbone target;
    private final KeyQueue queue;
    private final MomentumTarget momentum;

    MocoNetwork(MethodConfig config, Moco.Settings s) {
        this.globalViews = config.globalViews();
        long channels = config.backbone().channels(config.width());
        online = addChildBlock("online", new ProjectedBackbone(config.createBackbone(), channels,
                ProjectionHead.withoutBatchNorm(channels, s.projectorHidden(), s.projectorDim())));
        target = addChildBlock("target", new ProjectedBackbone(config.createBackbone(), channels,
                ProjectionHead.withoutBatchNorm(channels, s.projectorHidden(), s.projectorDim())));
        queue = addChildBlock("queue", new KeyQueue(this.globalViews, s.queueSize(), s.projectorDim()));
        momentum = new MomentumTarget(online, target, s.tauBase(), s.tauFinal());
    }

    ProjectedBackbone online() {
        return online;
    }

    /** The key encoder's EMA of the query encoder. */
    MomentumTarget target() {
        return momentum;
    }

    KeyQueue queue() {
        return queue;
    }

    /**
     * Only a training pass remembers its keys for the queue: the test loss and every other pass in inference mode
     * read the queues and leave them as they are.
     */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList views, boolean training,
                                     PairList<String, Object> params) {
        if (views.size() < globalViews) {
            throw new IllegalArgumentException("MoCo takes " + globalViews + " global views, got " + views.size());
        }
        NDArray queries = online.forward(store, views, training).singletonOrThrow();
        NDList globals = new NDList(views.subList(0, globalViews));
        // the key encoder runs in training mode like solo-learn's momentum encoder: batch statistics in its norms
        NDArray keys = NtXentLoss.normalizeRows(target.forward(store, globals, training).singletonOrThrow()
                .stopGradient());
        if (training) {
            queue.remember(keys);
        }
        // an alias of the queues owned by the batch, which frees it; the queues' storage stays
        NDArray queues = store.getValue(queue.parameter(), keys.getDevice(), training).stopGradient();
        queues.attach(keys.getManager());
        return new NDList(queries, keys, queues);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape queries = online.getOutputShapes(inputShapes)[0];
        Shape[] globals = java.util.Arrays.copyOf(inputShapes, globalViews);
        return new Shape[] {queries, target.getOutputShapes(globals)[0], queue.parameter().getShape()};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        online.initialize(manager, dataType, inputShapes);
        target.initialize(manager, dataType, java.util.Arrays.copyOf(inputShapes, globalViews));
        queue.initialize(manager, dataType, inputShapes);
    }
}
