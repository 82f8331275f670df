package io.selfsup.nn;

import ai.djl.ndarray.NDArray;

/** The spatial mean of each channel: (N, C, H, W) to (N, C), what a CIFAR ResNet's head and ssl-encode's avg read. */
public final class GlobalAvgPool {

    private GlobalAvgPool() {}

    public static NDArray apply(NDArray map) {
        // DJL's PyTorch engine reduces one axis at a time: fold H and W together first
        return map.reshape(map.getShape().get(0), map.getShape().get(1), -1).mean(new int[] {2});
    }
}
