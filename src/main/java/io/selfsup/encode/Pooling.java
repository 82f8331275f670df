package io.selfsup.encode;

import ai.djl.ndarray.NDArray;

/** How the encoder's (N, 128, 8, 8) output becomes one vector per image. */
public enum Pooling {
    /** All 128 x 8 x 8 = 8,192 values, channel-major. */
    FLATTEN,
    /** The spatial mean of each channel: 128 values. */
    AVG;

    public NDArray apply(NDArray encoded) {
        long n = encoded.getShape().get(0);
        if (this == FLATTEN) {
            return encoded.reshape(n, -1);
        }
        // DJL's PyTorch engine reduces one axis at a time: fold H and W together first
        return encoded.reshape(n, encoded.getShape().get(1), -1).mean(new int[] {2});
    }

    /** Length of one feature vector for an encoder output of (C, H, W). */
    public long dimension(long channels, long height, long width) {
        return this == FLATTEN ? channels * height * width : channels;
    }
}
