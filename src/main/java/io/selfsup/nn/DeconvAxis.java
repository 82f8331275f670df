package io.selfsup.nn;

/**
 * The geometry of a transposed convolution along one spatial axis, and its split into stride phases.
 *
 * <p>Output position {@code o = i * stride - padding + k} receives input {@code i} through kernel tap {@code k}.
 * Grouping outputs by {@code o mod stride} turns the operation into {@code stride} ordinary stride-1
 * correlations, each over only the kernel taps that reach that phase: no multiply-add touches an inserted zero.
 */
public record DeconvAxis(int kernel, int stride, int padding, int outputPadding) {

    public DeconvAxis {
        if (kernel < 1 || stride < 1 || padding < 0 || outputPadding < 0) {
            throw new IllegalArgumentException(
                    "kernel and stride must be >= 1, padding and output padding >= 0: " + this);
        }
        if (outputPadding >= stride) {
            throw new IllegalArgumentException(
                    "output padding must be smaller than stride (as in PyTorch): " + this);
        }
    }

    /** Output length for an input of length {@code in}, as torch.nn.ConvTranspose2d computes it. */
    public int outputSize(int in) {
        int out = (in - 1) * stride - 2 * padding + kernel + outputPadding;
        if (out < 1) {
            throw new IllegalArgumentException("input length " + in + " gives an empty output for " + this);
        }
        return out;
    }

    /** Outputs computed per phase: every phase computes the same count, the ragged tail is cropped. */
    public int outputsPerPhase(int in) {
        return (outputSize(in) + stride - 1) / stride;
    }

    /** The first kernel tap that reaches outputs of the given phase; further taps follow every stride. */
    public int firstTap(int phase) {
        return (phase + padding) % stride;
    }

    /** How many kernel taps reach outputs of the given phase (0 when the kernel is shorter than the stride). */
    public int taps(int phase) {
        int first = firstTap(phase);
        return first < kernel ? (kernel - first + stride - 1) / stride : 0;
    }

    /**
     * Input padding on the low side for the phase's correlation; negative means that many leading inputs
     * are never read.
     */
    public int lowPadding(int phase) {
        return taps(phase) - 1 - (phase + padding) / stride;
    }

    /** Input padding on the high side for the phase's correlation; negative means trailing inputs unused. */
    public int highPadding(int phase, int in) {
        return outputsPerPhase(in) + (phase + padding) / stride - in;
    }
}
