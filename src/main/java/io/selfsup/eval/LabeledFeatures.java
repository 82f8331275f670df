package io.selfsup.eval;

import ai.djl.ndarray.NDArray;

/** Feature vectors (N, D) float32 with their class labels (N) int64, both in one NDManager. */
public record LabeledFeatures(NDArray features, NDArray labels) {

    public LabeledFeatures {
        if (features.getShape().dimension() != 2 || labels.getShape().dimension() != 1
                || features.getShape().get(0) != labels.getShape().get(0)) {
            throw new io.selfsup.SelfsupException("features " + features.getShape() + " and labels "
                    + labels.getShape() + " do not match: need (N, D) and (N)");
        }
    }

    public long size() {
        return features.getShape().get(0);
    }

    public long dimension() {
        return features.getShape().get(1);
    }
}
