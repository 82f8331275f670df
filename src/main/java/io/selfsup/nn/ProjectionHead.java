package io.selfsup.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * Linear(in, hidden) BatchNorm1d(hidden) ReLU Linear(hidden, out): SimCLR's projector and BYOL's projector
 * and predictor; {@link #withoutBatchNorm} is Linear ReLU Linear, MoCo v2's projector. Children are named "0",
 * "1", ... as in the equivalent torch.nn.Sequential, so {@link TorchSequential#torchName} gives its state_dict
 * keys. Linear layers have PyTorch's default initialization; the batch norm normalizes with batch statistics in
 * training.
 */
public final class ProjectionHead extends TorchSequential {

    public ProjectionHead(long in, long hidden, long out) {
        this(in, hidden, out, true);
    }

    private ProjectionHead(long in, long hidden, long out, boolean batchNorm) {
        add(linear(in, hidden));
        if (batchNorm) {
            add(BasicBlock.batchNorm());
        }
        add(Activation.reluBlock());
        add(linear(hidden, out));
    }

    /** Linear(in, hidden) ReLU Linear(hidden, out): keys "0.weight", "0.bias", "2.weight", "2.bias". */
    public static ProjectionHead withoutBatchNorm(long in, long hidden, long out) {
        return new ProjectionHead(in, hidden, out, false);
    }

    private static Linear linear(long in, long out) {
        return TorchInit.uniformFanIn(Linear.builder().setUnits(out).build(), in);
    }
}
