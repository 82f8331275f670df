package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The seed article's encoder: 128 x 8 x 8 under the article's module names (encoder.0.weight ...). */
final class Conv2Backbone implements Backbone {

    private static final String FIRST_KEY = "encoder.0.weight";
    /** The article's network and its parity with PyTorch are defined on CIFAR's images. */
    private static final int IMAGE_SIZE = 32;

    @Override
    public boolean hasWidth() {
        return false;
    }

    @Override
    public int defaultWidth(boolean gpu) {
        return 0;
    }

    @Override
    public boolean hasStem() {
        return false;
    }

    @Override
    public String imageSizeProblem(int imageSize) {
        return imageSize == IMAGE_SIZE ? null : "the article's conv2 encoder is defined on " + IMAGE_SIZE + "x"
                + IMAGE_SIZE + " images, not " + imageSize + "; pass --backbone resnet18 for another --image-size";
    }

    @Override
    public Block create(int width, Stem stem) {
        return new Encoder();
    }

    @Override
    public long channels(int width) {
        return Encoder.CHANNELS;
    }

    @Override
    public Shape featureMap(int width, Stem stem, int imageSize) {
        return new Shape(Encoder.CHANNELS, imageSize / 4, imageSize / 4);
    }

    @Override
    public String torchKey(String djlName) {
        return Autoencoder.torchKey("01Encoder_" + djlName);
    }

    @Override
    public Optional<Found> recognise(Function<String, long[]> shapeOf, String prefix) {
        return shapeOf.apply(prefix + FIRST_KEY) != null ? Optional.of(new Found(0, null, 0)) : Optional.empty();
    }

    /** All 8,192 values: the article's encoder measured best flattened (docs/benchmarks.md). */
    @Override
    public Pooling defaultPooling() {
        return Pooling.FLATTEN;
    }

    /**
     * The channel means: the flattened 8,192 values of 5,000 neighbours and their normalized copy would take 300 MB
     * more peak memory than the article's own script uses.
     */
    @Override
    public Pooling monitorPooling() {
        return Pooling.AVG;
    }

    @Override
    public List<Pooling> evalPoolings() {
        return List.of(Pooling.FLATTEN, Pooling.AVG);
    }

    @Override
    public String architecture(int width, Stem stem) {
        return "the seed article's encoder = Sequential(Conv2d(3, 64, 4, stride=2, padding=1), ReLU, "
                + "Conv2d(64, 128, 4, stride=2, padding=1), ReLU); feature: its 128x8x8 map";
    }
}
