package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.nn.Scalars;

/**
 * SimCLR's NT-Xent, exactly as the peer script (and solo-learn / lightly) compute it over the 2N views, and its
 * multi-crop form over V views of each image (solo-learn's simclr_loss_func with indexes).
 */
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

    /**
     * Multi-positive NT-Xent over V views of N images: row i of the V N rows has as positives the V - 1 other
     * views of its image, and its loss is -log(sum over positives of exp(sim / t) / sum over every other row of
     * exp(sim / t)), solo-learn's simclr_loss_func; the loss is the mean over all V N rows, local views anchors as
     * much as global ones. With two views it is {@link #ntXent} itself.
     *
     * @param z the views' embeddings, (V N, D), view after view in the same image order
     * @param views V, at least 2
     */
    public static NDArray ntXent(NDArray z, int views, float temperature) {
        if (views < 2 || z.getShape().get(0) % views != 0) {
            throw new IllegalArgumentException("NT-Xent needs at least 2 views of each image, got " + views
                    + " views of " + z.getShape());
        }
        if (views == 2) {
            NDList halves = z.split(2, 0);
            return ntXent(halves.get(0), halves.get(1), temperature);
        }
        long rows = z.getShape().get(0);
        long n = rows / views;
        NDManager manager = z.getManager();
        NDArray unit = normalizeRows(z);
        NDArray sim = unit.matMul(unit.transpose()).div(Scalars.of(unit, temperature));
        NDArray self = manager.eye((int) rows).toType(DataType.BOOLEAN, false);
        NDArray minusInfinity = manager.full(sim.getShape(), Float.NEGATIVE_INFINITY);
        NDArray logProbabilities = NDArrays.where(self, minusInfinity, sim).logSoftmax(1);
        long[] imageOfRow = new long[(int) rows];
        for (int i = 0; i < rows; i++) {
            imageOfRow[i] = i % n;
        }
        NDArray image = manager.create(imageOfRow);
        NDArray positive = image.reshape(rows, 1).eq(image.reshape(1, rows)).logicalAnd(self.logicalNot());
        NDArray positiveLog = NDArrays.where(positive, logProbabilities, minusInfinity);
        // log of the summed positive probabilities, shifted by the row's largest so that none underflows
        NDArray largest = positiveLog.max(new int[] {1}, true).stopGradient();
        NDArray logPositive = positiveLog.sub(largest).exp().sum(new int[] {1}).log().add(largest.squeeze(1));
        return logPositive.mean().neg();
    }

    /** F.normalize(x, dim=1): x / max(||x||, 1e-12), so that an all-zero row stays zero instead of NaN. */
    static NDArray normalizeRows(NDArray x) {
        NDArray norm = x.square().sum(new int[] {1}, true).sqrt();
        return x.div(norm.maximum(Scalars.of(norm, 1e-12f)));
    }
}
