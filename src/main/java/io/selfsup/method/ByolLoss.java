package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.selfsup.nn.Scalars;

/**
 * BYOL's regression loss (solo-learn's byol_loss_func). The symmetric loss of a step is
 * {@code loss(p1, z2).add(loss(p2, z1))}: each view's online prediction against the other view's target projection;
 * with multi-crop it is {@link #multiCrop}.
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

    /**
     * solo-learn's BYOL loss over multi-crop: the sum, over every global view g and every other view v (global or
     * local), of {@code loss(p_v, z_g)}; only global views have targets. With two views it is the symmetric loss.
     *
     * @param predictions the online predictions of every view, global ones first
     * @param targets the target projections of the global views, in the same order
     */
    public static NDArray multiCrop(NDList predictions, NDList targets) {
        if (targets.isEmpty() || predictions.size() < Math.max(2, targets.size())) {
            throw new IllegalArgumentException("BYOL needs at least 2 views and a target for each global one, got "
                    + predictions.size() + " views and " + targets.size() + " targets");
        }
        NDArray sum = null;
        for (int g = 0; g < targets.size(); g++) {
            for (int v = 0; v < predictions.size(); v++) {
                if (v != g) {
                    NDArray term = loss(predictions.get(v), targets.get(g));
                    sum = sum == null ? term : sum.add(term);
                }
            }
        }
        return sum;
    }
}
