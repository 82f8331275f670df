package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * torchvision's resnet18 or resnet50 with either stem ({@link ResNet}): 8 * width (resnet18) or 32 * width (resnet50)
 * channels under torchvision's names.
 */
final class ResNetBackbone implements Backbone {

    /** The standard network on a GPU; a quarter of it trains in minutes per epoch on a laptop CPU (README). */
    static final int GPU_WIDTH = 64;
    static final int CPU_WIDTH = 16;
    /** Below this the CIFAR stem's three stride-2 stages leave maps of one pixel. */
    static final int MIN_IMAGE_SIZE = 8;
    private static final String FIRST_KEY = "conv1.weight";
    /** Only a Bottleneck has a third convolution. */
    private static final String BOTTLENECK_KEY = "layer1.0.conv3.weight";

    private final ResNet.Depth depth;

    ResNetBackbone(ResNet.Depth depth) {
        this.depth = depth;
    }

    @Override
    public boolean hasWidth() {
        return true;
    }

    @Override
    public int defaultWidth(boolean gpu) {
        return gpu ? GPU_WIDTH : CPU_WIDTH;
    }

    @Override
    public boolean hasStem() {
        return true;
    }

    @Override
    public String imageSizeProblem(int imageSize) {
        return imageSize >= MIN_IMAGE_SIZE ? null : "a ResNet needs images of at least " + MIN_IMAGE_SIZE
                + " pixels, got " + imageSize;
    }

    @Override
    public Block create(int width, Stem stem) {
        return new ResNet(depth, width, stem);
    }

    @Override
    public long channels(int width) {
        return depth.featureChannels(width);
    }

    @Override
    public Shape featureMap(int width, Stem stem, int imageSize) {
        int side = stem.featureSide(imageSize);
        return new Shape(channels(width), side, side);
    }

    @Override
    public String torchKey(String djlName) {
        return ResNet.torchName(djlName);
    }

    /** The width is conv1's output channels, the stem its kernel; resnet50's blocks have a third convolution. */
    @Override
    public Optional<Found> recognise(Function<String, long[]> shapeOf, String prefix) {
        long[] conv1 = shapeOf.apply(prefix + FIRST_KEY);
        boolean bottleneck = shapeOf.apply(prefix + BOTTLENECK_KEY) != null;
        if (conv1 == null || conv1.length != 4 || bottleneck != (depth == ResNet.Depth.RESNET50)) {
            return Optional.empty();
        }
        return Optional.of(new Found((int) conv1[0], Stem.ofKernel(conv1[2]), conv1[2]));
    }

    /** The global average pool of the last stage, the usual feature of the field. */
    @Override
    public Pooling defaultPooling() {
        return Pooling.AVG;
    }

    @Override
    public Pooling monitorPooling() {
        return Pooling.AVG;
    }

    @Override
    public List<Pooling> evalPoolings() {
        return List.of(Pooling.AVG);
    }

    @Override
    public String architecture(int w, Stem stem) {
        String name = depth.name().toLowerCase(Locale.ROOT);
        return "torchvision.models." + name + (stem == Stem.CIFAR ? " with the CIFAR stem" : "") + ": "
                + stem.torchText(w) + ", fc = Identity; stage widths " + w + ", " + 2 * w + ", " + 4 * w + ", "
                + 8 * w + (w == GPU_WIDTH ? " (the standard network)" : " (64 in the standard network)")
                + "; feature: global average pool of layer4, " + channels(w) + " values";
    }
}
