package io.selfsup.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * Linear(in, hidden) BatchNorm1d(hidden) ReLU Linear(hidden, out): SimCLR's projector and BYOL's projector
 * and predictor. Children are named "0", "1", "2" (the ReLU), "3" as in the equivalent torch.nn.Sequential,
 * so {@link TorchSequential#torchName} gives its state_dict keys. Linear layers have PyTorch's default
 * initialization; the batch norm normalizes with batch statistics in training.
 */
public final class ProjectionHead extends TorchSequential {

    public ProjectionHead(long in, long hidden, long out) {
        add(linear(in, hidden));
        add(BasicBlock.batchNorm());
        add(Activation.reluBlock());
        add(linear(hidden, out));
    }

    private static Linear linear(long in, long out) {
        return TorchInit.uniformFanIn(Linear.builder().setUnits(out).build(), in);
    }
}
