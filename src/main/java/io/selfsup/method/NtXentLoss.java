package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.nn.Scalars;

/** SimCLR's NT-Xent, exactly as the peer script (and solo-learn / lightly) compute it over the 2N views. */
public final class NtXentLoss {

    private NtXentLoss() {}

    /**
     * The mean over all 2N rows of the cross-entropy of cosine similarities / temperature, each row's positive being
     * the other view of the same image (i + N for the first half, i - N for the second). Differentiable; every
     * temporary belongs to {@code z1}'s manager, so call it with batch-scoped embeddings.
     *
     * @param z1 the first views' embeddings, (N, D)
     * @param z2 the second views' embeddings in the same image order, (N, D)
     */
    public static NDArray ntXent(NDArray z1, NDArray z2, float temperature) {
        long n = z1.getShape().get(0);
        NDManager manager = z1.getManager();
        NDArray z = normalizeRows(z1.concat(z2, 0));
        NDArray sim = z.matMul(z.transpose()).div(Scalars.of(z, temperature));
        // -inf rather than a large negative, as the peer's fill_diagonal_: exp gives exactly 0 either way, and
        // log-softmax's backward multiplies the incoming zero by softmax = 0 there, so the gradient stays finite
        NDArray self = manager.eye((int) (2 * n)).toType(DataType.BOOLEAN, false);
        NDArray masked = NDArrays.where(self, manager.full(sim.getShape(), Float.NEGATIVE_INFINITY), sim);
        NDArray positives = manager.arange(n, 2 * n).concat(manager.arange(0, n)).toType(DataType.INT64, false);
        NDArray logProbabilities = masked.logSoftmax(1);
        return logProbabilities.gather(positives.reshape(2 * n, 1), 1).mean().neg();
    }

    /** F.normalize(x, dim=1): x / max(||x||, 1e-12), so that an all-zero row stays zero instead of NaN. */
    static NDArray normalizeRows(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).sqrt();
        return x.div(norm.maximum(Scalars.of(norm, 1e-12f)));
    }
}
