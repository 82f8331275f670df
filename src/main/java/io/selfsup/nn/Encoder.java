package io.selfsup.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/** The seed article's encoder: Conv2d(3->64, k4 s2 p1) ReLU Conv2d(64->128, k4 s2 p1) ReLU; 32x32 -> 128x8x8. */
public final class Encoder extends SequentialBlock {

    public static final int CHANNELS = 128;

    public Encoder() {
        add(conv(3, 64));
        add(Activation.reluBlock());
        add(conv(64, CHANNELS));
        add(Activation.reluBlock());
    }

    private static Conv2d conv(int in, int out) {
        Conv2d conv = Conv2d.builder()
                .setKernelShape(new Shape(4, 4))
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(1, 1))
                .setFilters(out)
                .build();
        return TorchInit.uniformFanIn(conv, (long) in * 4 * 4);
    }
}
