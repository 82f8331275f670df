package io.selfsup.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;

/**
 * The seed article's decoder: ConvTranspose2d(128->64, k4 s2 p1) ReLU ConvTranspose2d(64->3, k4 s2 p1) Tanh;
 * 128x8x8 -> 3x32x32 in [-1, 1].
 */
public final class Decoder extends SequentialBlock {

    public Decoder(ConvTransposeAlgorithm algorithm) {
        add(deconv(Encoder.CHANNELS, 64, algorithm));
        add(Activation.reluBlock());
        add(deconv(64, 3, algorithm));
        add(Activation.tanhBlock());
    }

    private static ConvTranspose2d deconv(int in, int out, ConvTransposeAlgorithm algorithm) {
        return ConvTranspose2d.builder()
                .setChannels(in, out)
                .setKernel(4, 4)
                .optStride(2, 2)
                .optPadding(1, 1)
                .optAlgorithm(algorithm)
                .build();
    }
}
