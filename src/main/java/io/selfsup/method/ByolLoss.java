package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import io.selfsup.nn.Scalars;

/**
 * BYOL's regression loss (solo-learn's byol_loss_func). The symmetric loss of a step is
 * {@code loss(p1, z2).add(loss(p2, z1))}: each view's online prediction against the other view's target projection.
 */
public final class ByolLoss {

    private ByolLoss() {}

    /**
     * The batch mean of 2 - 2 cos(p, z), i.e. the squared distance of the unit vectors. {@code z} is the target
     * network's output and gets no gradient, even if it was computed with gradients recorded.
     *
     * @param p the online network's predictions, (N, D)
     * @param z the target network's projections, (N, D)
     */
    public static NDArray loss(NDArray p, NDArray z) {
        NDArray cosine = NtXentLoss.normalizeRows(p).mul(NtXentLoss.normalizeRows(z.stopGradient())).sum(new int[] {1});
        NDArray mean = cosine.mean();
        return mean.mul(Scalars.of(mean, -2f)).add(Scalars.of(mean, 2f));
    }
}
