package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selfsup.nn.GlobalAvgPool;
import io.selfsup.nn.ProjectionHead;

/**
 * A backbone, global average pooling and a projector MLP: the embedding SimCLR contrasts, VICReg regularizes and
 * BYOL's and MoCo's online and target networks compute. Each view goes through on its own, as solo-learn and
 * lightly run them, so batch
 * norm normalizes each view with its own statistics; the projections come out concatenated, view after view.
 * It is also faster here: a ResNet-18 step on 2 x 256 images took 0.72 s, on one batch of 512 1.06 s
 * (docs/benchmarks.md, "Each view through the network on its own"), the larger activations no longer fitting the
 * processor's caches.
 */
final class ProjectedBackbone extends AbstractBlock {

    private final Block backbone;
    private final Block projector;
    private final long channels;

    ProjectedBackbone(Block backbone, long channels, int hidden, int out) {
        this(backbone, channels, hidden, out, 2);
    }

    /** @param layers the projector's Linear layers (2: SimCLR's and BYOL's, 3: VICReg's) */
    ProjectedBackbone(Block backbone, long channels, int hidden, int out, int layers) {
        this(backbone, channels, new ProjectionHead(channels, hidden, out, layers));
    }

    /** @param projector a head taking the backbone's pooled {@code channels} (MoCo's has no batch norm) */
    ProjectedBackbone(Block backbone, long channels, Block projector) {
        this.backbone = addChildBlock("backbone", backbone);
        this.projector = addChildBlock("projector", projector);
        this.channels = channels;
    }

    /** The projector sizes a method's settings give; both at least 1. */
    static void checkSizes(int hidden, int out) {
        if (hidden < 1 || out < 1) {
            throw new IllegalArgumentException("the projector's hidden units and output size must be at least 1, got "
                    + hidden + " and " + out);
        }
    }

    Block backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList views, boolean training,
                                     PairList<String, Object> params) {
        NDList projections = new NDList(views.size());
        for (NDArray view : views) {
            NDArray map = backbone.forward(store, new NDList(view), training).singletonOrThrow();
            projections.add(projector.forward(store, new NDList(GlobalAvgPool.apply(map)), training)
                    .singletonOrThrow());
        }
        return new NDList(projections.size() == 1 ? projections.head() : NDArrays.concat(projections, 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return projector.getOutputShapes(new Shape[] {new Shape(images(inputShapes), channels)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
        projector.initialize(manager, dataType, new Shape(inputShapes[0].get(0), channels));
    }

    private static long images(Shape[] views) {
        long n = 0;
        for (Shape s : views) {
            n += s.get(0);
        }
        return n;
    }
}
