package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * torchvision's ResNet BasicBlock: conv3x3(stride) BN ReLU conv3x3 BN, plus the input (through a 1x1
 * convolution and BN, child "downsample", when stride or width change), then ReLU. Children carry
 * torchvision's names, so {@link TorchSequential#torchName} maps parameter names to its state_dict keys.
 */
public final class BasicBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block downsample;

    public BasicBlock(int inChannels, int outChannels, int stride) {
        super(VERSION);
        conv1 = addChildBlock("conv1", conv(outChannels, 3, stride));
        bn1 = addChildBlock("bn1", batchNorm());
        conv2 = addChildBlock("conv2", conv(outChannels, 3, 1));
        bn2 = addChildBlock("bn2", batchNorm());
        downsample = stride != 1 || inChannels != outChannels
                ? addChildBlock("downsample", new TorchSequential().add(conv(outChannels, 1, stride)).add(batchNorm()))
                : null;
    }

    /**
     * A bias-free convolution with "same" padding and torchvision's ResNet initialization,
     * kaiming_normal_(mode='fan_out', nonlinearity='relu'): N(0, 2 / (out_channels * k * k)).
     */
    static Conv2d conv(int outChannels, int kernel, int stride) {
        Conv2d conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(outChannels)
                .optBias(false)
                .build();
        conv.setInitializer(new NormalInitializer((float) Math.sqrt(2.0 / ((double) outChannels * kernel * kernel))),
                Parameter.Type.WEIGHT);
        return conv;
    }

    /** DJL's momentum 0.9 is PyTorch's 0.1 (the engine passes 1 - momentum); weight 1, bias 0 as in torchvision. */
    static BatchNorm batchNorm() {
        return BatchNorm.builder().build();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList y = conv1.forward(store, inputs, training, params);
        y = bn1.forward(store, y, training, params);
        y = new NDList(Activation.relu(y.singletonOrThrow()));
        y = conv2.forward(store, y, training, params);
        NDArray residual = bn2.forward(store, y, training, params).singletonOrThrow();
        return withShortcut(residual, downsample, store, inputs, training, params);
    }

    /** ReLU of the residual plus the input, through {@code downsample} when there is one: every ResNet block's end. */
    static NDList withShortcut(NDArray residual, Block downsample, ParameterStore store, NDList inputs,
                               boolean training, PairList<String, Object> params) {
        NDArray shortcut = downsample == null
                ? inputs.singletonOrThrow()
                : downsample.forward(store, inputs, training, params).singletonOrThrow();
        return new NDList(Activation.relu(residual.add(shortcut)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] inner = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, inner);
        conv2.initialize(manager, dataType, inner);
        bn2.initialize(manager, dataType, inner);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }
}
