package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The backbones on offer, by the id --backbone and config.json name them; each constant is one {@link Backbone}
 * class, to which everything is delegated. A new backbone is one class and one constant here.
 */
public enum BackboneType implements Backbone {

    /** The seed article's encoder: 128 x 8 x 8. Has no width. */
    CONV2(new Conv2Backbone()),
    /** torchvision's resnet18, with the CIFAR or the standard stem: 8 * width channels. */
    RESNET18(new ResNetBackbone(ResNet.Depth.RESNET18)),
    /** torchvision's resnet50 (Bottleneck blocks), with the CIFAR or the standard stem: 32 * width channels. */
    RESNET50(new ResNetBackbone(ResNet.Depth.RESNET50));

    private final Backbone backbone;

    BackboneType(Backbone backbone) {
        this.backbone = backbone;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The id, so that picocli's and config.json's messages name values as users type them. */
    @Override
    public String toString() {
        return id();
    }


    @Override
    public boolean hasWidth() {
        return backbone.hasWidth();
    }

    @Override
    public int defaultWidth(boolean gpu) {
        return backbone.defaultWidth(gpu);
    }

    @Override
    public boolean hasStem() {
        return backbone.hasStem();
    }

    @Override
    public String imageSizeProblem(int imageSize) {
        return backbone.imageSizeProblem(imageSize);
    }

    @Override
    public Block create(int width, Stem stem) {
        return backbone.create(width, stem);
    }

    @Override
    public long channels(int width) {
        return backbone.channels(width);
    }

    @Override
    public Shape featureMap(int width, Stem stem, int imageSize) {
        return backbone.featureMap(width, stem, imageSize);
    }

    @Override
    public String torchKey(String djlName) {
        return backbone.torchKey(djlName);
    }

    @Override
    public Optional<Found> recognise(Function<String, long[]> shapeOf, String prefix) {
        return backbone.recognise(shapeOf, prefix);
    }

    @Override
    public Pooling defaultPooling() {
        return backbone.defaultPooling();
    }

    @Override
    public Pooling monitorPooling() {
        return backbone.monitorPooling();
    }

    @Override
    public List<Pooling> evalPoolings() {
        return backbone.evalPoolings();
    }

    @Override
    public String architecture(int width, Stem stem) {
        return backbone.architecture(width, stem);
    }
}
