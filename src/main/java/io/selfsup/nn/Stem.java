package io.selfsup.nn;

import java.util.Locale;

/**
 * How a ResNet meets the image. CIFAR's 3x3 stride-1 convolution without max-pool keeps a 32-pixel image's detail
 * (solo-learn and lightly use it); torchvision's 7x7 stride-2 convolution and 3x3 stride-2 max-pool shrink a larger
 * image four times before the first stage, the network users have ImageNet weights for.
 */
public enum Stem {
    /** conv1 = Conv2d(3, w, 3, stride=1, padding=1), maxpool = Identity. */
    CIFAR(3, 1, false),
    /** torchvision's own: conv1 = Conv2d(3, w, 7, stride=2, padding=3), maxpool = MaxPool2d(3, stride=2, padding=1). */
    STANDARD(7, 2, true);

    /** Images up to this side keep the CIFAR stem when none is asked for: the standard one would leave 1x1 maps. */
    public static final int CIFAR_MAX_SIZE = 32;

    private final int kernel;
    private final int stride;
    private final boolean maxPool;

    Stem(int kernel, int stride, boolean maxPool) {
        this.kernel = kernel;
        this.stride = stride;
        this.maxPool = maxPool;
    }

    /** The stem a ResNet gets for square images of {@code imageSize} pixels when none is asked for. */
    public static Stem forImageSize(int imageSize) {
        return imageSize <= CIFAR_MAX_SIZE ? CIFAR : STANDARD;
    }

    /** The stem whose first convolution has {@code kernel} x {@code kernel} filters, or null. */
    public static Stem ofKernel(long kernel) {
        for (Stem s : values()) {
            if (s.kernel == kernel) {
                return s;
            }
        }
        return null;
    }

    public int kernel() {
        return kernel;
    }

    int stride() {
        return stride;
    }

    boolean maxPool() {
        return maxPool;
    }

    /**
     * Side of the last stage's feature map for square images of {@code imageSize} pixels: every stride-2 layer
     * (3x3 or 7x7 convolution with "same" padding, the 3x3 max-pool with padding 1) maps n to floor((n - 1) / 2) + 1.
     */
    public int featureSide(int imageSize) {
        int halvings = 3 + (stride == 2 ? 1 : 0) + (maxPool ? 1 : 0);
        int side = imageSize;
        for (int i = 0; i < halvings; i++) {
            side = (side - 1) / 2 + 1;
        }
        return side;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The id, so that picocli's and config.json's messages name values as users type them. */
    @Override
    public String toString() {
        return id();
    }

    /** The stem in PyTorch's terms, for an export's metadata. */
    String torchText(int width) {
        return this == CIFAR
                ? "conv1 = Conv2d(3, " + width + ", 3, stride=1, padding=1, bias=False), maxpool = Identity"
                : "conv1 = Conv2d(3, " + width + ", 7, stride=2, padding=3, bias=False), "
                        + "maxpool = MaxPool2d(3, stride=2, padding=1)";
    }
}
