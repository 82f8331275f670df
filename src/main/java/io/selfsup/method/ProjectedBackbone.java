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
import io.selfsup.nn.ProjectionHead;

/**
 * A backbone, global average pooling and a projector MLP: the embedding SimCLR contrasts and BYOL's online
 * and target networks compute. All its inputs (the views) go through as one batch, as the PyTorch recipes
 * do, so batch norm sees the statistics of every view together.
 */
final class ProjectedBackbone extends AbstractBlock {

    private final Block backbone;
    private final ProjectionHead projector;
    private final long channels;

    ProjectedBackbone(Block backbone, long channels, int hidden, int out) {
        this.backbone = addChildBlock("backbone", backbone);
        this.projector = addChildBlock("projector", new ProjectionHead(channels, hidden, out));
        this.channels = channels;
    }

    Block backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList views, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = views.size() == 1 ? views.head() : NDArrays.concat(views, 0);
        NDArray map = backbone.forward(store, new NDList(x), training).singletonOrThrow();
        // DJL's PyTorch engine reduces one axis at a time: fold H and W together first
        NDArray pooled = map.reshape(map.getShape().get(0), map.getShape().get(1), -1).mean(new int[] {2});
        return projector.forward(store, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return projector.getOutputShapes(new Shape[] {new Shape(images(inputShapes), channels)});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0].slice(0, 0).add(images(inputShapes))
                .addAll(inputShapes[0].slice(1)));
        projector.initialize(manager, dataType, new Shape(images(inputShapes), channels));
    }

    private static long images(Shape[] views) {
        long n = 0;
        for (Shape s : views) {
            n += s.get(0);
        }
        return n;
    }
}
