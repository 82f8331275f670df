package io.selfsup.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR ResNet-18 of solo-learn and lightly: torchvision's resnet18 with a 3x3 stride-1 stem, no
 * max-pool and no pooling or fc at the end, so a (N, 3, 32, 32) batch gives a (N, 8 * width, 4, 4) feature
 * map; the caller pools it (DJL's {@code Pool.globalAvgPool2dBlock()} gives torch's avgpool + flatten).
 * Width 64 is the standard network (11,168,832 parameters). Children carry torchvision's module names, so
 * {@link #torchName} maps every parameter to a resnet18 state_dict key and back.
 */
public final class CifarResNet18 extends AbstractBlock {

    private static final byte VERSION = 1;

    private static Map<String, String> djlNames;

    private final int width;
    private final Block conv1;
    private final Block bn1;
    private final List<Block> layers;

    public CifarResNet18(int width) {
        super(VERSION);
        this.width = width;
        conv1 = addChildBlock("conv1", BasicBlock.conv(width, 3, 1));
        bn1 = addChildBlock("bn1", BasicBlock.batchNorm());
        layers = List.of(
                addChildBlock("layer1", layer(width, width, 1)),
                addChildBlock("layer2", layer(width, 2 * width, 2)),
                addChildBlock("layer3", layer(2 * width, 4 * width, 2)),
                addChildBlock("layer4", layer(4 * width, 8 * width, 2)));
    }

    private static Block layer(int in, int out, int stride) {
        return new TorchSequential().add(new BasicBlock(in, out, stride)).add(new BasicBlock(out, out, 1));
    }

    /** Channels of the output feature map: 8 * width. */
    public int featureChannels() {
        return 8 * width;
    }

    /** The resnet18 state_dict key of a parameter: "05layer3_010_02bn1_gamma" -> "layer3.0.bn1.weight". */
    public static String torchName(String djlParameterName) {
        return TorchSequential.torchName(djlParameterName);
    }

    /** The inverse of {@link #torchName}, for any width. */
    public static synchronized String djlName(String torchKey) {
        if (djlNames == null) {
            // names do not depend on the width, and listing them allocates no arrays
            djlNames = new HashMap<>();
            for (String name : new CifarResNet18(1).getParameters().keys()) {
                djlNames.put(torchName(name), name);
            }
        }
        String name = djlNames.get(torchKey);
        if (name == null) {
            throw new IllegalArgumentException("not a CIFAR ResNet-18 parameter: " + torchKey);
        }
        return name;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = bn1.forward(store, conv1.forward(store, inputs, training, params), training, params);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        for (Block layer : layers) {
            x = layer.forward(store, x, training, params);
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape[] shapes = conv1.getOutputShapes(inputShapes);
        bn1.initialize(manager, dataType, shapes);
        for (Block layer : layers) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = conv1.getOutputShapes(inputShapes);
        for (Block layer : layers) {
            shapes = layer.getOutputShapes(shapes);
        }
        return shapes;
    }
}
