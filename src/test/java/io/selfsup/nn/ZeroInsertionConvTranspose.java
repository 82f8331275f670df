package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The textbook transposed convolution: put stride-1 zeros between input pixels, pad, and run a stride-1
 * convolution with the flipped, transposed kernel. Exact, but (stride_h * stride_w) times the multiply-adds
 * of the real operation; kept as the benchmark baseline and as an independent cross-check in tests.
 */
public final class ZeroInsertionConvTranspose implements ConvTransposeAlgorithm {

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    @Override
    public long multiplyAdds(Shape input, long outChannels, DeconvAxis height, DeconvAxis width) {
        return input.get(0) * input.get(1) * outChannels
                * height.outputSize((int) input.get(2)) * height.kernel()
                * width.outputSize((int) input.get(3)) * width.kernel();
    }

    @Override
    public NDArray apply(NDArray x, NDArray weight, NDArray bias, DeconvAxis height, DeconvAxis width) {
        Shape in = x.getShape();
        long n = in.get(0);
        long c = in.get(1);
        long h = in.get(2);
        long w = in.get(3);
        int sh = height.stride();
        int sw = width.stride();
        NDArray dilated = x;
        if (sh > 1 || sw > 1) {
            dilated = x.reshape(n, c, h, 1, w, 1)
                    .pad(new Shape(0, sw - 1, 0, 0, 0, sh - 1), 0)
                    .reshape(n, c, h * sh, w * sw)
                    .get(":, :, :" + ((h - 1) * sh + 1) + ", :" + ((w - 1) * sw + 1));
        }
        int ph = height.kernel() - 1 - height.padding();
        int pw = width.kernel() - 1 - width.padding();
        NDArray padded = ConvTransposeAlgorithm.padOrCrop(
                dilated, ph, ph + height.outputPadding(), pw, pw + width.outputPadding());
        NDArray kernel = weight.flip(2, 3).transpose(1, 0, 2, 3);
        return Conv2d.conv2d(padded, kernel, bias).singletonOrThrow();
    }
}
