package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** One way to compute torch.nn.ConvTranspose2d from operations DJL's PyTorch engine differentiates. */
public interface ConvTransposeAlgorithm {

    /**
     * Computes the transposed convolution.
     *
     * @param x input (N, C_in, H, W)
     * @param weight kernel in PyTorch's layout (C_in, C_out, kH, kW)
     * @param bias (C_out), or null
     * @param height geometry along H
     * @param width geometry along W
     * @return output (N, C_out, H_out, W_out)
     */
    NDArray apply(NDArray x, NDArray weight, NDArray bias, DeconvAxis height, DeconvAxis width);

    /**
     * Multiply-adds of the convolutions this algorithm runs for an input of shape (N, C_in, H, W); the
     * operation itself needs N * C_in * H * W * C_out * kH * kW.
     */
    long multiplyAdds(Shape input, long outChannels, DeconvAxis height, DeconvAxis width);

    /** Adds a per-channel bias to an NCHW array; returns y unchanged when bias is null. */
    static NDArray addBias(NDArray y, NDArray bias) {
        return bias == null ? y : y.add(bias.reshape(1, bias.size(), 1, 1));
    }

    /** Crops (negative padding) or zero-pads H and W of an NCHW array in one pass each. */
    static NDArray padOrCrop(NDArray x, int top, int bottom, int left, int right) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            x = x.get(":, :, " + Math.max(0, -top) + ":" + (h - Math.max(0, -bottom))
                    + ", " + Math.max(0, -left) + ":" + (w - Math.max(0, -right)));
        }
        if (top > 0 || bottom > 0 || left > 0 || right > 0) {
            // constant_pad_nd takes (left, right, top, bottom): the last axis first
            x = x.pad(new Shape(
                    Math.max(0, left), Math.max(0, right), Math.max(0, top), Math.max(0, bottom)), 0);
        }
        return x;
    }
}
