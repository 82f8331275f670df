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

    /** Input shape for a batch of the given size. */
    public static Shape inputShape(long batchSize) {
        return new Shape(batchSize).addAll(IMAGE);
    }
}
