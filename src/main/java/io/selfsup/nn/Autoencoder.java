package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;

/** The seed article's convolutional autoencoder (268,547 parameters): an {@link Encoder}, then a {@link Decoder}. */
public final class Autoencoder extends SequentialBlock {

    /** CIFAR-10 image shape the model is built for: channels, height, width. */
    public static final Shape IMAGE = new Shape(3, 32, 32);

    private final Encoder encoder;

    /** The model with the fastest transposed convolution measured here (docs/benchmarks.md). */
    public Autoencoder() {
        this(new ShuffleConvTranspose());
    }

    public Autoencoder(ConvTransposeAlgorithm deconvolution) {
        encoder = new Encoder();
        add(encoder);
        add(new Decoder(deconvolution));
    }

    public Encoder encoder() {
        return encoder;
    }

    /**
     * The key of a parameter in the article's module, whose attributes are encoder and decoder, each an
     * nn.Sequential (so "encoder.0.weight", "decoder.2.bias"). DJL names it "01Encoder_01Conv2d_weight":
     * children after their class, numbered from 1, activations included.
     */
    public static String torchKey(String djlName) {
        String[] parts = djlName.split("_");
        if (parts.length != 3 || !parts[0].matches("\\d\\d[A-Za-z]+") || !parts[1].matches("\\d\\d[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("not a parameter of the article's autoencoder: " + djlName);
        }
        String module = parts[0].substring(2).toLowerCase(java.util.Locale.ROOT);
        int position = Integer.parseInt(parts[1].substring(0, 2)) - 1;
        return module + "." + position + "." + parts[2];
    }

    /** Input shape for a batch of the given size. */
    public static Shape inputShape(long batchSize) {
        return new Shape(batchSize).addAll(IMAGE);
    }
}
