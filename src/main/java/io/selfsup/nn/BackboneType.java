package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The backbones on offer, by the id --backbone and config.json name them; each constant is one {@link Backbone}
 * class, to which everything is delegated. A new backbone is one class and one constant here.
 */
public enum BackboneType implements Backbone {

    /** The seed article's encoder: 128 x 8 x 8. Has no width. */
    CONV2(new Conv2Backbone()),
    /** The CIFAR ResNet-18 (3x3 stem, no max-pool): 8 * width x 4 x 4. */
    RESNET18(new CifarResNet18Backbone());

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

    /** Channels of the feature map: the size of the globally pooled feature. */
    public long channels(int width) {
        return featureMap(width).get(0);
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
    public Block create(int width) {
        return backbone.create(width);
    }

    @Override
    public Shape featureMap(int width) {
        return backbone.featureMap(width);
    }

    @Override
    public String torchKey(String djlName) {
        return backbone.torchKey(djlName);
    }

    @Override
    public OptionalInt recognise(Function<String, long[]> shapeOf, String prefix) {
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
    public String architecture(int width) {
        return backbone.architecture(width);
    }
}
