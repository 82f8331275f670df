package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** How a backbone's (N, C, H, W) feature map becomes one vector per image. */
public enum Pooling {
    /** All C x H x W values, channel-major (8,192 for the article's encoder). */
    FLATTEN,
    /** The spatial mean of each channel: C values (global average pooling). */
    AVG;

    public NDArray apply(NDArray encoded) {
        return this == FLATTEN ? encoded.reshape(encoded.getShape().get(0), -1) : GlobalAvgPool.apply(encoded);
    }

    /** The id, so that picocli's messages name values as users type them. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Length of one feature vector for an encoder output of the given (C, H, W) shape. */
    public long dimension(Shape featureMap) {
        return dimension(featureMap.get(0), featureMap.get(1), featureMap.get(2));
    }

    /** Length of one feature vector for an encoder output of (C, H, W). */
    public long dimension(long channels, long height, long width) {
        return this == FLATTEN ? channels * height * width : channels;
    }
}
