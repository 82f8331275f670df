package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selfsup.nn.ProjectionHead;
import java.util.List;

/**
 * BYOL's online network, predictor and target network in one block, so that a checkpoint holds the target
 * too. The target's parameters are frozen: the optimizer never touches them, only {@link #updateTarget}.
 * Its forward returns the online predictions and the target projections of all views (no gradient).
 */
final class ByolNetwork extends AbstractBlock {

    private final ProjectedBackbone online;
    private final ProjectionHead predictor;
    private final ProjectedBackbone target;

    ByolNetwork(MethodConfig c) {
        long channels = c.backbone().channels(c.width());
        online = addChildBlock("online", new ProjectedBackbone(c.backbone().create(c.width()), channels,
                c.projectorHidden(), c.projectorDim()));
        predictor = addChildBlock("predictor", new ProjectionHead(c.projectorDim(), c.predictorHidden(),
                c.projectorDim()));
        target = addChildBlock("target", new ProjectedBackbone(c.backbone().create(c.width()), channels,
                c.projectorHidden(), c.projectorDim()));
        target.freezeParameters(true);
    }

    ProjectedBackbone online() {
        return online;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList views, boolean training,
                                     PairList<String, Object> params) {
        NDArray projection = online.forward(store, views, training).singletonOrThrow();
        NDArray prediction = predictor.forward(store, new NDList(projection), training).singletonOrThrow();
        // the target runs in training mode like solo-learn's momentum encoder: batch statistics in its norms
        NDArray targetProjection = target.forward(store, views, training).singletonOrThrow().stopGradient();
        return new NDList(prediction, targetProjection);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape projection = online.getOutputShapes(inputShapes)[0];
        return new Shape[] {projection, projection};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        online.initialize(manager, dataType, inputShapes);
        predictor.initialize(manager, dataType, online.getOutputShapes(inputShapes));
        target.initialize(manager, dataType, inputShapes);
    }

    /** BYOL starts with the target equal to the online network. */
    void copyOnlineToTarget() {
        List<NDArray> from = arrays(online, false);
        List<NDArray> to = arrays(target, false);
        for (int i = 0; i < from.size(); i++) {
            to.get(i).set(from.get(i).toFloatArray());
        }
    }

    /**
     * target = tau * target + (1 - tau) * online over the weights; the target's batch-norm running
     * statistics stay its own, as in solo-learn, which averages parameters but not buffers.
     */
    void updateTarget(double tau) {
        EmaUpdate.update(arrays(online, true), arrays(target, true), tau);
    }

    private static List<NDArray> arrays(AbstractBlock block, boolean weightsOnly) {
        return block.getParameters().values().stream()
                .filter(p -> !weightsOnly || (p.getType() != Parameter.Type.RUNNING_MEAN
                        && p.getType() != Parameter.Type.RUNNING_VAR))
                .map(Parameter::getArray).toList();
    }
}
