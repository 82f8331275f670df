package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/** The CIFAR ResNet-18 (3x3 stem, no max-pool): 8 * width x 4 x 4 under torchvision's resnet18 names. */
final class CifarResNet18Backbone implements Backbone {

    /** The standard network on a GPU; a quarter of it trains in minutes per epoch on a laptop CPU (README). */
    static final int GPU_WIDTH = 64;
    static final int CPU_WIDTH = 16;
    private static final String FIRST_KEY = "conv1.weight";

    @Override
    public boolean hasWidth() {
        return true;
    }

    @Override
    public int defaultWidth(boolean gpu) {
        return gpu ? GPU_WIDTH : CPU_WIDTH;
    }

    @Override
    public Block create(int width) {
        return new CifarResNet18(width);
    }

    @Override
    public Shape featureMap(int width) {
        return new Shape(8L * width, 4, 4);
    }

    @Override
    public String torchKey(String djlName) {
        return CifarResNet18.torchName(djlName);
    }

    /** The width is conv1's output channels. */
    @Override
    public OptionalInt recognise(Function<String, long[]> shapeOf, String prefix) {
        long[] conv1 = shapeOf.apply(prefix + FIRST_KEY);
        return conv1 != null && conv1.length == 4 ? OptionalInt.of((int) conv1[0]) : OptionalInt.empty();
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
    public String architecture(int w) {
        return "torchvision.models.resnet18 with the CIFAR stem: conv1 = Conv2d(3, " + w + ", 3, stride=1, "
                + "padding=1, bias=False), maxpool = Identity, fc = Identity; stage widths " + w + ", " + 2 * w + ", "
                + 4 * w + ", " + 8 * w + (w == GPU_WIDTH ? " (the standard network)" : " (64 in the standard network)")
                + "; feature: global average pool of layer4, " + 8 * w + " values";
    }
}
