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
import java.util.Arrays;

/**
 * BYOL's online network, predictor and target network in one block, so that a checkpoint holds the target
 * too. The target's parameters are frozen: the optimizer never touches them, only its {@link MomentumTarget}.
 * Its forward returns the online predictions of all views and the target projections (no gradient) of the
 * global views, which come first: the local views of multi-crop have no target, so the target never runs on them.
 */
final class ByolNetwork extends AbstractBlock {

    private final ProjectedBackbone online;
    private final ProjectionHead predictor;
    private final ProjectedBackbone target;
    private final MomentumTarget momentum;
    private final int globalViews;

    ByolNetwork(MethodConfig config, Byol.Settings s) {
        this.globalViews = config.globalViews();
        long channels = config.backbone().channels(config.width());
        online = addChildBlock("online", new ProjectedBackbone(config.createBackbone(), channels,
                s.projectorHidden(), s.projectorDim()));
        predictor = addChildBlock("predictor", new ProjectionHead(s.projectorDim(), s.predictorHidden(),
                s.projectorDim()));
        target = addChildBlock("target", new ProjectedBackbone(config.createBackbone(), channels,
                s.projectorHidden(), s.projectorDim()));
        momentum = new MomentumTarget(online, target, s.tauBase());
    }

    ProjectedBackbone online() {
        return online;
    }

    /** The target network's EMA of the online backbone and projector. */
    MomentumTarget target() {
        return momentum;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList views, boolean training,
                                     PairList<String, Object> params) {
        NDArray projection = online.forward(store, views, training).singletonOrThrow();
        NDArray prediction = predictor.forward(store, new NDList(projection), training).singletonOrThrow();
        // the target runs in training mode like solo-learn's momentum encoder: batch statistics in its norms
        NDList global = views.size() == globalViews ? views : new NDList(views.subList(0, globalViews));
        NDArray targetProjection = target.forward(store, global, training).singletonOrThrow().stopGradient();
        return new NDList(prediction, targetProjection);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {online.getOutputShapes(inputShapes)[0], target.getOutputShapes(global(inputShapes))[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        online.initialize(manager, dataType, inputShapes);
        predictor.initialize(manager, dataType, online.getOutputShapes(inputShapes));
        target.initialize(manager, dataType, global(inputShapes));
    }

    private Shape[] global(Shape[] inputShapes) {
        return Arrays.copyOf(inputShapes, Math.min(globalViews, inputShapes.length));
    }
}
