package io.selfsup.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * Transposed convolution as stride_h * stride_w small stride-1 convolutions, one per output phase, whose
 * outputs are interleaved (the sub-pixel or phase decomposition). Each phase convolves only with the kernel
 * taps that reach it, so it does the multiply-adds of the real operation, not the stride^2 times more of
 * zero insertion.
 */
public final class SubPixelConvTranspose implements ConvTransposeAlgorithm {

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }

    @Override
    public long multiplyAdds(Shape input, long outChannels, DeconvAxis height, DeconvAxis width) {
        return input.get(0) * input.get(1) * outChannels * tapsTimesOutputs(new Phases(height), (int) input.get(2))
                * tapsTimesOutputs(new Phases(width), (int) input.get(3));
    }

    private static long tapsTimesOutputs(Phases axis, int in) {
        long sum = 0;
        for (int p = 0; p < axis.stride(); p++) {
            sum += (long) axis.outputsPerPhase(in) * axis.taps(p);
        }
        return sum;
    }

    @Override
    public NDArray apply(NDArray x, NDArray weight, NDArray bias, DeconvAxis heightAxis, DeconvAxis widthAxis) {
        Phases height = new Phases(heightAxis);
        Phases width = new Phases(widthAxis);
        Shape in = x.getShape();
        int h = (int) in.get(2);
        int w = (int) in.get(3);
        int sh = height.stride();
        int sw = width.stride();
        int mh = height.outputsPerPhase(h);
        int mw = width.outputsPerPhase(w);

        int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
        for (int p = 0; p < sh; p++) {
            padTop = Math.max(padTop, height.lowPadding(p));
            padBottom = Math.max(padBottom, height.highPadding(p, h));
        }
        for (int p = 0; p < sw; p++) {
            padLeft = Math.max(padLeft, width.lowPadding(p));
            padRight = Math.max(padRight, width.highPadding(p, w));
        }
        NDArray padded = ConvTransposeAlgorithm.padOrCrop(x, padTop, padBottom, padLeft, padRight);

        NDList phases = new NDList(sh * sw);
        for (int ph = 0; ph < sh; ph++) {
            for (int pw = 0; pw < sw; pw++) {
                phases.add(phase(padded, weight, height, width, ph, pw, mh, mw, padTop, padLeft));
            }
        }
        NDArray y;
        if (phases.size() == 1) {
            y = phases.head();
        } else {
            long n = in.get(0);
            long c = weight.getShape().get(1);
            // (N, C, sh*sw, mh, mw) -> (N, C, mh, sh, mw, sw) -> (N, C, mh*sh, mw*sw): interleave the phases
            y = NDArrays.stack(phases, 2)
                    .reshape(n, c, sh, sw, mh, mw)
                    .transpose(0, 1, 4, 2, 5, 3)
                    .reshape(n, c, (long) mh * sh, (long) mw * sw);
        }
        int outH = height.outputSize(h);
        int outW = width.outputSize(w);
        if (outH != mh * sh || outW != mw * sw) {
            y = y.get(":, :, :" + outH + ", :" + outW);
        }
        return ConvTransposeAlgorithm.addBias(y, bias);
    }

    private static NDArray phase(NDArray padded, NDArray weight, Phases height, Phases width,
                                 int ph, int pw, int mh, int mw, int padTop, int padLeft) {
        int th = height.taps(ph);
        int tw = width.taps(pw);
        if (th == 0 || tw == 0) {
            Shape s = padded.getShape();
            return padded.getManager().zeros(new Shape(s.get(0), weight.getShape().get(1), mh, mw),
                    padded.getDataType(), padded.getDevice());
        }
        // Taps r, r+s, ... reversed, because a transposed convolution is a correlation with the flipped kernel.
        int rh = height.firstTap(ph);
        int rw = width.firstTap(pw);
        NDArray kernel = weight.get(":, :, " + rh + "::" + height.stride() + ", " + rw + "::" + width.stride())
                .flip(2, 3)
                .transpose(1, 0, 2, 3);
        int top = padTop - height.lowPadding(ph);
        int left = padLeft - width.lowPadding(pw);
        NDArray window = padded.get(":, :, " + top + ":" + (top + mh + th - 1)
                + ", " + left + ":" + (left + mw + tw - 1));
        return Conv2d.conv2d(window, kernel).singletonOrThrow();
    }

    /**
     * One axis split into stride phases. Output position {@code o = i * stride - padding + k} receives input
     * {@code i} through kernel tap {@code k}; grouping outputs by {@code o mod stride} turns the operation into
     * {@code stride} ordinary stride-1 correlations, each over only the kernel taps that reach that phase.
     */
    private record Phases(DeconvAxis axis) {

        int stride() {
            return axis.stride();
        }

        int outputSize(int in) {
            return axis.outputSize(in);
        }

        /** Outputs computed per phase: every phase computes the same count, the ragged tail is cropped. */
        int outputsPerPhase(int in) {
            return (axis.outputSize(in) + axis.stride() - 1) / axis.stride();
        }

        /** The first kernel tap that reaches outputs of the given phase; further taps follow every stride. */
        int firstTap(int phase) {
            return (phase + axis.padding()) % axis.stride();
        }

        /** How many kernel taps reach outputs of the given phase (0 when the kernel is shorter than the stride). */
        int taps(int phase) {
            int first = firstTap(phase);
            return first < axis.kernel() ? (axis.kernel() - first + axis.stride() - 1) / axis.stride() : 0;
        }

        /**
         * Input padding on the low side for the phase's correlation; negative means that many leading inputs
         * are never read.
         */
        int lowPadding(int phase) {
            return taps(phase) - 1 - (phase + axis.padding()) / axis.stride();
        }

        /** Input padding on the high side for the phase's correlation; negative means trailing inputs unused. */
        int highPadding(int phase, int in) {
            return outputsPerPhase(in) + (phase + axis.padding()) / axis.stride() - in;
        }
    }
}
