package io.selfsup.nn;

/**
 * The geometry of a transposed convolution along one spatial axis: output position
 * {@code o = i * stride - padding + k} receives input {@code i} through kernel tap {@code k}.
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
}
