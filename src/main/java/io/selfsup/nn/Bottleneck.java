package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's ResNet Bottleneck (ResNet V1.5, as resnet50): conv1x1 BN ReLU, conv3x3(stride) BN ReLU, conv1x1 to
 * {@link #EXPANSION} times the planes, BN, plus the input (through a 1x1 convolution and BN, child "downsample",
 * when stride or width change), then ReLU. Children carry torchvision's names.
 */
public final class Bottleneck extends AbstractBlock {

    /** Output channels per plane, torchvision's Bottleneck.expansion. */
    public static final int EXPANSION = 4;

    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block conv3;
    private final Block bn3;
    private final Block downsample;

    public Bottleneck(int inChannels, int planes, int stride) {
        super(VERSION);
        int out = planes * EXPANSION;
        conv1 = addChildBlock("conv1", BasicBlock.conv(planes, 1, 1));
        bn1 = addChildBlock("bn1", BasicBlock.batchNorm());
        conv2 = addChildBlock("conv2", BasicBlock.conv(planes, 3, stride));
        bn2 = addChildBlock("bn2", BasicBlock.batchNorm());
        conv3 = addChildBlock("conv3", BasicBlock.conv(out, 1, 1));
        bn3 = addChildBlock("bn3", BasicBlock.batchNorm());
        downsample = stride != 1 || inChannels != out
                ? addChildBlock("downsample", new TorchSequential().add(BasicBlock.conv(out, 1, stride))
                        .add(BasicBlock.batchNorm()))
                : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList y = bn1.forward(store, conv1.forward(store, inputs, training, params), training, params);
        y = new NDList(Activation.relu(y.singletonOrThrow()));
        y = bn2.forward(store, conv2.forward(store, y, training, params), training, params);
        y = new NDList(Activation.relu(y.singletonOrThrow()));
        NDArray residual = bn3.forward(store, conv3.forward(store, y, training, params), training, params)
                .singletonOrThrow();
        return BasicBlock.withShortcut(residual, downsample, store, inputs, training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] first = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, first);
        conv2.initialize(manager, dataType, first);
        Shape[] second = conv2.getOutputShapes(first);
        bn2.initialize(manager, dataType, second);
        conv3.initialize(manager, dataType, second);
        bn3.initialize(manager, dataType, conv3.getOutputShapes(second));
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv3.getOutputShapes(conv2.getOutputShapes(conv1.getOutputShapes(inputShapes)));
    }
}
