package io.selfsup.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Weighted k-nearest-neighbour classification as in InstDisc and solo-learn: cosine similarity between
 * L2-normalized features, the k most similar training images vote with weight exp(similarity / T).
 */
public final class KnnClassifier {

    public static final int DEFAULT_K = 20;
    public static final float TEMPERATURE = 0.07f;
    private static final int CHUNK = 256;

    private final int k;

    public KnnClassifier(int k) {
        if (k < 1) {
            throw new io.selfsup.SelfsupException("--k must be at least 1, got " + k);
        }
        this.k = k;
    }

    /** Top-1 accuracy on {@code test} with {@code train} as the neighbours. */
    public double accuracy(LabeledFeatures train, LabeledFeatures test, int classes) {
        int kk = (int) Math.min(k, train.size());
        try (NDManager manager = train.features().getManager().newSubManager()) {
            NDArray normalized = train.features().normalize(2, 1);
            normalized.attach(manager);
            NDArray bank = normalized.transpose();
            long correct = 0;
            for (long from = 0; from < test.size(); from += CHUNK) {
                long to = Math.min(test.size(), from + CHUNK);
                try (NDManager chunk = manager.newSubManager()) {
                    NDArray rows = test.features().get("{}:{}", from, to);
                    rows.attach(chunk);
                    NDArray queries = rows.normalize(2, 1);
                    NDList top = queries.matMul(bank).topK(kk, 1, true, false);
                    NDArray weights = top.get(0).div(TEMPERATURE).exp();
                    NDArray neighbours = train.labels().take(chunk, top.get(1));
                    NDArray votes = neighbours.oneHot(classes, DataType.FLOAT32).mul(weights.expandDims(2)).sum(new int[] {1});
                    NDArray predicted = votes.argMax(1);
                    NDArray truth = test.labels().get("{}:{}", from, to);
                    truth.attach(chunk);
                    correct += predicted.eq(truth).sum().getLong();
                }
            }
            return (double) correct / test.size();
        }
    }
}
