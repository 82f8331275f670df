package io.selfsup.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;

/**
 * An MLP of {@code layers} Linear layers, each but the last followed by BatchNorm1d (unless left out) and ReLU:
 * with 2 layers Linear(in, hidden) BatchNorm1d ReLU Linear(hidden, out), SimCLR's projector and BYOL's projector
 * and predictor; with 3, VICReg's projector as solo-learn builds it (the last Linear has a bias and no norm);
 * {@link #withoutBatchNorm} is Linear ReLU Linear, MoCo v2's projector. Children are named "0", "1", ... as in the
 * equivalent torch.nn.Sequential, so {@link TorchSequential#torchName} gives its state_dict keys. Linear layers
 * have PyTorch's default initialization; the batch norms normalize with batch statistics in training.
 */
public final class ProjectionHead extends TorchSequential {

    public ProjectionHead(long in, long hidden, long out) {
        this(in, hidden, out, 2, true);
    }

    /** @param layers how many Linear layers, at least 2 */
    public ProjectionHead(long in, long hidden, long out, int layers) {
        this(in, hidden, out, layers, true);
    }

    private ProjectionHead(long in, long hidden, long out, int layers, boolean batchNorm) {
        if (layers < 2) {
            throw new IllegalArgumentException("a projection head has at least 2 linear layers, got " + layers);
        }
        long width = in;
        for (int i = 0; i < layers - 1; i++) {
            add(linear(width, hidden));
            if (batchNorm) {
                add(BasicBlock.batchNorm());
            }
            add(Activation.reluBlock());
            width = hidden;
        }
        add(linear(width, out));
    }

    /** Linear(in, hidden) ReLU Linear(hidden, out): keys "0.weight", "0.bias", "2.weight", "2.bias". */
    public static ProjectionHead withoutBatchNorm(long in, long hidden, long out) {
        return new ProjectionHead(in, hidden, out, 2, false);
    }

    private static Linear linear(long in, long out) {
        return TorchInit.uniformFanIn(Linear.builder().setUnits(out).build(), in);
    }
}
