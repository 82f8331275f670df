package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import io.selfsup.nn.Scalars;

/**
 * VICReg's loss (Bardes, Ponce, LeCun 2022) as solo-learn computes it (solo/losses/vicreg.py): lambda times the
 * invariance (mean squared error between the views' embeddings), plus mu times the variance term (the hinge
 * mean(relu(1 - sqrt(var + 1e-4))) over the dimensions, unbiased variance over the batch) and nu times the
 * covariance term (the squared off-diagonal entries of the batch covariance summed, over D), each of the last two
 * summed over both views. The authors' code and lightly halve the variance term (a mean over the two views);
 * solo-learn, whose CIFAR recipe the weights 25 / 25 / 1 come from, does not.
 *
 * <p>Over more than two views (multi-crop, the global views first): the invariance is the mean of mse(z_g, z_v)
 * over every global view g and every other view v; the variance and covariance terms are each view's own,
 * averaged over all views and doubled, so that two views give solo-learn's value exactly.
 */
public final class VicregLoss {

    private static final float EPSILON = 1e-4f;

    private VicregLoss() {}

    /**
     * The weighted loss of a batch. Differentiable; every temporary belongs to the first embedding's manager, so
     * call it with batch-scoped embeddings.
     *
     * @param views each view's embeddings, (N, D) each, the same images in the same order, global views first
     * @param globalViews how many of the first views are global, at least 1
     * @param lambda the invariance weight
     * @param mu the variance weight
     * @param nu the covariance weight
     */
    public static NDArray loss(NDList views, int globalViews, float lambda, float mu, float nu) {
        if (views.size() < 2 || globalViews < 1 || globalViews > views.size()) {
            throw new IllegalArgumentException("VICReg needs at least 2 views with 1 to all of them global, got "
                    + views.size() + " views, " + globalViews + " global");
        }
        NDArray invariance = null;
        int pairs = 0;
        for (int g = 0; g < globalViews; g++) {
            for (int v = 0; v < views.size(); v++) {
                if (v != g) {
                    NDArray term = invariance(views.get(g), views.get(v));
                    invariance = invariance == null ? term : invariance.add(term);
                    pairs++;
                }
            }
        }
        NDArray variance = null;
        NDArray covariance = null;
        for (NDArray z : views) {
            NDArray centered = z.sub(z.mean(new int[] {0}));
            variance = variance == null ? variance(centered) : variance.add(variance(centered));
            covariance = covariance == null ? covariance(centered) : covariance.add(covariance(centered));
        }
        float perView = 2f / views.size();
        return invariance.mul(Scalars.of(invariance, lambda / pairs))
                .add(variance.mul(Scalars.of(variance, mu * perView)))
                .add(covariance.mul(Scalars.of(covariance, nu * perView)));
    }

    /** F.mse_loss(a, b): the mean of the squared differences over all N x D entries. */
    static NDArray invariance(NDArray a, NDArray b) {
        return a.sub(b).square().mean();
    }

    /** One view's variance hinge, mean(relu(1 - sqrt(var + eps))), from its batch-centered embeddings. */
    static NDArray variance(NDArray centered) {
        NDArray var = centered.square().sum(new int[] {0}).div(Scalars.of(centered, batch(centered) - 1));
        NDArray std = var.add(Scalars.of(var, EPSILON)).sqrt();
        return Activation.relu(Scalars.of(std, 1f).sub(std)).mean();
    }

    /** One view's covariance term: the squared off-diagonal covariances summed, over D. */
    static NDArray covariance(NDArray centered) {
        long d = centered.getShape().get(1);
        NDArray cov = centered.transpose().matMul(centered).div(Scalars.of(centered, batch(centered) - 1));
        NDManager manager = centered.getManager();
        NDArray offDiagonal = manager.ones(cov.getShape()).sub(manager.eye((int) d));
        if (!offDiagonal.getDevice().equals(cov.getDevice())) {
            offDiagonal = offDiagonal.toDevice(cov.getDevice(), false);
        }
        return cov.mul(offDiagonal).square().sum().div(Scalars.of(cov, d));
    }

    private static float batch(NDArray z) {
        return z.getShape().get(0);
    }
}
