package io.selfsup.encode;

import ai.djl.ndarray.NDArray;

/** Receives feature vectors batch by batch, in image order. */
@FunctionalInterface
public interface FeatureConsumer {
    /** @param features (n, D) float32, rows for images first .. first + n - 1 */
    void accept(NDArray features, int first);
}
