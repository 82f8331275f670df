package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.selfsup.nn.Scalars;

/** MoCo v2+'s InfoNCE against a queue of negatives, as solo-learn's mocov2plus_loss_func, over any number of views. */
public final class MocoLoss {

    private MocoLoss() {}

    /**
     * solo-learn's mocov2plus_loss_func: the cross-entropy of [q . k, q . queue] / temperature with the positive
     * (index 0) as the target, mean over the N queries. Differentiable in {@code query}; every temporary belongs to
     * its manager.
     *
     * @param query normalized queries, (N, D)
     * @param key normalized keys of the same images, (N, D), no gradient
     * @param queue normalized negatives, one a row, (Q, D)
     */
    public static NDArray infoNce(NDArray query, NDArray key, NDArray queue, float temperature) {
        NDArray positive = query.mul(key).sum(new int[] {1}, true);
        NDArray negatives = query.matMul(queue.transpose());
        NDArray logits = positive.concat(negatives, 1).div(Scalars.of(query, temperature));
        return logits.logSoftmax(1).get(new NDIndex(":, 0")).mean().neg();
    }

    /**
     * The mean over the pairs (g, v), g a global view and v any other view, of InfoNCE(q_v, k_g, queue of g):
     * every view's queries against the momentum keys of each global view but its own. For two views it is
     * solo-learn's symmetric (loss(q1, k2, queue2) + loss(q2, k1, queue1)) / 2.
     *
     * @param queries the online projections of every view, global views first, each (N, D), not yet normalized
     * @param keys the normalized momentum keys of the global views, each (N, D)
     * @param queues one queue per global view, (G, Q, D)
     */
    public static NDArray loss(NDList queries, NDList keys, NDArray queues, float temperature) {
        if (keys.isEmpty() || queries.size() < Math.max(2, keys.size()) || queues.getShape().get(0) != keys.size()) {
            throw new IllegalArgumentException(queries.size() + " views of queries, " + keys.size()
                    + " of keys and " + queues.getShape().get(0) + " queues");
        }
        NDArray total = null;
        for (int v = 0; v < queries.size(); v++) {
            NDArray q = NtXentLoss.normalizeRows(queries.get(v));
            for (int g = 0; g < keys.size(); g++) {
                if (g == v) {
                    continue;
                }
                NDArray pair = infoNce(q, keys.get(g), queues.get(g), temperature);
                total = total == null ? pair : total.add(pair);
            }
        }
        long pairs = (long) keys.size() * (queries.size() - 1);
        return total.div(Scalars.of(total, pairs));
    }
}
