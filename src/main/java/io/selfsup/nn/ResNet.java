package io.selfsup.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * torchvision's resnet18 and resnet50 without their avgpool and fc, so a batch gives the last stage's feature map;
 * the caller pools it. The stem is CIFAR's (3x3 stride 1, no max-pool, as solo-learn and lightly) or torchvision's
 * own (7x7 stride 2 and max-pool). Width 64 is the standard network (resnet18 11,168,832 parameters, resnet50
 * 23,508,032). Children carry torchvision's module names, so {@link #torchName} maps every parameter to a state_dict
 * key and back.
 */
public final class ResNet extends AbstractBlock {

    /** The two depths torchvision users have weights for. */
    public enum Depth {
        /** BasicBlocks [2, 2, 2, 2]: 8 * width channels out. */
        RESNET18(false, 2, 2, 2, 2),
        /** Bottlenecks [3, 4, 6, 3]: 32 * width channels out. */
        RESNET50(true, 3, 4, 6, 3);

        private final boolean bottleneck;
        private final int[] blocks;

        Depth(boolean bottleneck, int... blocks) {
            this.bottleneck = bottleneck;
            this.blocks = blocks;
        }

        /** Output channels of a block per plane: 1 for BasicBlock, 4 for Bottleneck. */
        public int expansion() {
            return bottleneck ? Bottleneck.EXPANSION : 1;
        }

        /** Channels of the last stage's feature map. */
        public int featureChannels(int width) {
            return 8 * width * expansion();
        }
    }

    private static final byte VERSION = 1;

    private static final Map<Depth, Map<String, String>> DJL_NAMES = new EnumMap<>(Depth.class);

    private final Depth depth;
    private final int width;
    private final Block conv1;
    private final Block bn1;
    private final Block maxpool;
    private final List<Block> layers;

    /** The CIFAR ResNet-18 at {@code width}. */
    public ResNet(int width) {
        this(Depth.RESNET18, width, Stem.CIFAR);
    }

    public ResNet(Depth depth, int width, Stem stem) {
        super(VERSION);
        this.depth = depth;
        this.width = width;
        conv1 = addChildBlock("conv1", BasicBlock.conv(width, stem.kernel(), stem.stride()));
        bn1 = addChildBlock("bn1", BasicBlock.batchNorm());
        int in = width;
        Block[] stages = new Block[4];
        for (int s = 0; s < 4; s++) {
            int planes = width << s;
            stages[s] = addChildBlock("layer" + (s + 1), layer(depth.blocks[s], in, planes, s == 0 ? 1 : 2));
            in = planes * depth.expansion();
        }
        layers = List.of(stages);
        // added last, though it runs before layer1: DJL numbers children in the order they are added, so the
        // layers' parameter names (and checkpoints) are the same for both stems; the max-pool has no parameters
        maxpool = stem.maxPool()
                ? addChildBlock("maxpool", Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)))
                : null;
    }

    private TorchSequential layer(int count, int in, int planes, int stride) {
        TorchSequential layer = new TorchSequential();
        int out = planes * depth.expansion();
        for (int b = 0; b < count; b++) {
            int blockIn = b == 0 ? in : out;
            int blockStride = b == 0 ? stride : 1;
            layer.add(depth.bottleneck ? new Bottleneck(blockIn, planes, blockStride)
                    : new BasicBlock(blockIn, planes, blockStride));
        }
        return layer;
    }

    /** Channels of the output feature map. */
    public int featureChannels() {
        return depth.featureChannels(width);
    }

    /** The state_dict key of a parameter: "05layer3_010_02bn1_gamma" -> "layer3.0.bn1.weight". */
    public static String torchName(String djlParameterName) {
        return TorchSequential.torchName(djlParameterName);
    }

    /** The inverse of {@link #torchName}, for any width and stem. */
    public static synchronized String djlName(Depth depth, String torchKey) {
        // names depend on neither width nor stem, and listing them allocates no arrays
        Map<String, String> names = DJL_NAMES.computeIfAbsent(depth, d -> {
            Map<String, String> m = new HashMap<>();
            for (String name : new ResNet(d, 1, Stem.CIFAR).getParameters().keys()) {
                m.put(torchName(name), name);
            }
            return m;
        });
        String name = names.get(torchKey);
        if (name == null) {
            throw new IllegalArgumentException("not a " + depth.name().toLowerCase(java.util.Locale.ROOT)
                    + " parameter: " + torchKey);
        }
        return name;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = bn1.forward(store, conv1.forward(store, inputs, training, params), training, params);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        if (maxpool != null) {
            x = maxpool.forward(store, x, training, params);
        }
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
        if (maxpool != null) {
            maxpool.initialize(manager, dataType, shapes);
            shapes = maxpool.getOutputShapes(shapes);
        }
        for (Block layer : layers) {
            layer.initialize(manager, dataType, shapes);
            shapes = layer.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = conv1.getOutputShapes(inputShapes);
        if (maxpool != null) {
            shapes = maxpool.getOutputShapes(shapes);
        }
        for (Block layer : layers) {
            shapes = layer.getOutputShapes(shapes);
        }
        return shapes;
    }
}
