package io.selfsup.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.GlobalAvgPool;

/** How a backbone's (N, C, H, W) feature map becomes one vector per image. */
public enum Pooling {
    /** All C x H x W values, channel-major (8,192 for the article's encoder). */
    FLATTEN,
    /** The spatial mean of each channel: C values (global average pooling). */
    AVG;

    public NDArray apply(NDArray encoded) {
        return this == FLATTEN ? encoded.reshape(encoded.getShape().get(0), -1) : GlobalAvgPool.apply(encoded);
    }

    /**
     * The feature ssl-train's kNN monitor and ssl-encode use by default: the article's encoder flattened (its
     * 8,192 values were its measured best), a ResNet globally average-pooled (the usual feature of the field).
     */
    public static Pooling defaultFor(BackboneType backbone) {
        return backbone == BackboneType.CONV2 ? FLATTEN : AVG;
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
