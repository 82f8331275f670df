package io.selfsup.predict;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.selfsup.nn.Pooling;

/**
 * A trained backbone followed by the pooling ssl-encode applies: normalized (N, 3, S, S) images of the run's size
 * in, (N, D) features out. What a DJL model loaded from a run directory runs.
 */
public final class FeatureBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block backbone;
    private final Pooling pooling;
    private final Shape featureMap;
    private final int imageSize;

    /** @param imageSize side of the square images the backbone was trained on, which {@link FeatureTranslator} makes */
    public FeatureBlock(Block backbone, Pooling pooling, Shape featureMap, int imageSize) {
        super(VERSION);
        this.backbone = addChildBlock("backbone", backbone);
        this.pooling = pooling;
        this.featureMap = featureMap;
        this.imageSize = imageSize;
    }

    public int imageSize() {
        return imageSize;
    }

    public Pooling pooling() {
        return pooling;
    }

    /** Length of the feature vector. */
    public long dimension() {
        return pooling.dimension(featureMap);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(pooling.apply(backbone.forward(store, inputs, training, params).singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dimension())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
    }
}
