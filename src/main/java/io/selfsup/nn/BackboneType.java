package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Locale;

/**
 * The networks that turn a normalized (N, 3, 32, 32) batch into a feature map: what ssl-encode writes and the
 * heads of a method read. Each one is a block of its own; a new backbone is one more constant here.
 */
public enum BackboneType {

    /** The seed article's encoder: 128 x 8 x 8. Has no width. */
    CONV2 {
        @Override
        public Block create(int width) {
            return new Encoder();
        }

        @Override
        public Shape featureMap(int width) {
            return new Shape(Encoder.CHANNELS, 8, 8);
        }

        @Override
        public String torchKey(String djlName) {
            return Autoencoder.torchKey("01Encoder_" + djlName);
        }
    },

    /** The CIFAR ResNet-18 (3x3 stem, no max-pool): 8 * width x 4 x 4. */
    RESNET18 {
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
    };

    /** A freshly built (uninitialized) backbone. */
    public abstract Block create(int width);

    /** Channels, height and width of the feature map for a 32 x 32 input. */
    public abstract Shape featureMap(int width);

    /**
     * The PyTorch state_dict key of one of this backbone's parameters (named as DJL names them inside the
     * backbone): the article's module names for conv2 ("encoder.0.weight"), torchvision's resnet18 names for
     * resnet18 ("layer1.0.conv1.weight").
     */
    public abstract String torchKey(String djlName);

    /** Channels of the feature map: the size of the globally pooled feature. */
    public long channels(int width) {
        return featureMap(width).get(0);
    }

    public boolean hasWidth() {
        return this != CONV2;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
