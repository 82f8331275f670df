package io.selfsup.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;

/**
 * PyTorch's default initialization of convolution layers: kaiming_uniform_(a=sqrt(5)) for the weight, which
 * reduces to U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias. DJL's defaults (Xavier,
 * zero bias) train differently, so parity with the PyTorch original needs this.
 */
public final class TorchInit {

    private TorchInit() {}

    /** Sets PyTorch's default initializers on a block whose weight has the given fan-in. */
    public static <B extends Block> B uniformFanIn(B block, long fanIn) {
        UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
        block.setInitializer(init, Parameter.Type.WEIGHT);
        block.setInitializer(init, Parameter.Type.BIAS);
        return block;
    }
}
