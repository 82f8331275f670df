package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Transposed convolution as ONE stride-1 convolution whose output channels are all stride_h * stride_w
 * phases at once, followed by a pixel shuffle that interleaves them. Compared with one convolution per
 * phase it runs a single larger matrix product (far better for few output channels, such as the decoder's
 * last layer with 3), at the price of computing a one-pixel border that is cropped, and zero taps where the
 * kernel size is not a multiple of the stride.
 */
public final class ShuffleConvTranspose implements ConvTransposeAlgorithm {

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    @Override
    public long multiplyAdds(Shape input, long outChannels, DeconvAxis height, DeconvAxis width) {
        Plan ph = new Plan(height, (int) input.get(2));
        Plan pw = new Plan(width, (int) input.get(3));
        return input.get(0) * input.get(1) * outChannels * height.stride() * width.stride()
                * ph.count * ph.taps * pw.count * pw.taps;
    }

    @Override
    public NDArray apply(NDArray x, NDArray weight, NDArray bias, DeconvAxis height, DeconvAxis width) {
        Shape in = x.getShape();
        long n = in.get(0);
        int h = (int) in.get(2);
        int w = (int) in.get(3);
        Plan ph = new Plan(height, h);
        Plan pw = new Plan(width, w);

        NDArray padded = ConvTransposeAlgorithm.padOrCrop(x, ph.low, ph.high, pw.low, pw.high);
        NDArray y = Conv2d.conv2d(padded, shuffledKernel(weight, height, width, ph.taps, pw.taps))
                .singletonOrThrow();

        long c = weight.getShape().get(1);
        int sh = height.stride();
        int sw = width.stride();
        // channels (rh, rw, c) -> (N, c, q_h, rh, q_w, rw): output row q*s + r of the uncropped output
        y = y.reshape(n, sh, sw, c, ph.count, pw.count)
                .transpose(0, 3, 4, 1, 5, 2)
                .reshape(n, c, (long) ph.count * sh, (long) pw.count * sw);
        int outH = height.outputSize(h);
        int outW = width.outputSize(w);
        if (ph.crop != 0 || pw.crop != 0 || outH != ph.count * sh || outW != pw.count * sw) {
            y = y.get(":, :, " + ph.crop + ":" + (ph.crop + outH) + ", " + pw.crop + ":" + (pw.crop + outW));
        }
        return ConvTransposeAlgorithm.addBias(y, bias);
    }

    /**
     * (C_in, C_out, kH, kW) -> (sh*sw*C_out, C_in, Jh, Jw): tap k = j*s + r goes to phase r, position J-1-j
     * (flipped, as a transposed convolution is a correlation with the flipped kernel); missing taps are zero.
     */
    private static NDArray shuffledKernel(NDArray weight, DeconvAxis height, DeconvAxis width, int jh, int jw) {
        Shape s = weight.getShape();
        long cin = s.get(0);
        long cout = s.get(1);
        int sh = height.stride();
        int sw = width.stride();
        int extraH = jh * sh - height.kernel();
        int extraW = jw * sw - width.kernel();
        NDArray k = weight;
        if (extraH > 0 || extraW > 0) {
            k = k.pad(new Shape(0, extraW, 0, extraH), 0);
        }
        return k.reshape(cin, cout, jh, sh, jw, sw)
                .flip(2, 4)
                .transpose(3, 5, 1, 0, 2, 4)
                .reshape((long) sh * sw * cout, cin, jh, jw);
    }

    /** Along one axis: taps per phase, input padding, phase-grid length, and where the real output starts. */
    private static final class Plan {
        final int taps;
        final int low;
        final int high;
        final int count;
        final int crop;

        Plan(DeconvAxis axis, int in) {
            int s = axis.stride();
            int p = axis.padding();
            taps = (axis.kernel() + s - 1) / s;
            int first = p / s;
            int last = (p + axis.outputSize(in) - 1) / s;
            count = last - first + 1;
            low = taps - 1 - first;
            high = last - (in - 1);
            crop = p - first * s;
        }
    }
}
