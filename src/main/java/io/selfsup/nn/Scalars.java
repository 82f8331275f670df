package io.selfsup.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scalars for arithmetic that autograd records. DJL's {@code NDArray.div(Number)} (and mul, add, sub, maximum
 * with a Number) wraps the number in a tensor over a direct ByteBuffer without copying it, and closes that
 * tensor as soon as the operation returns. Autograd keeps the scalar for the backward pass, but the buffer
 * is then unreachable: a garbage collection between forward and backward frees it and the backward reads
 * whatever reuses the memory. Measured: gradients of 1e-39 or 1e30 instead of the true value, and SimCLR runs
 * that diverged to NaN at random steps. A scalar made here belongs to {@code like}'s manager (the batch's), so
 * it lives until the batch, backward included, is done.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code value} as a float32 scalar in the manager (and on the device) of {@code like}. */
    public static NDArray of(NDArray like, float value) {
        NDArray scalar = like.getManager().create(value);
        // a manager's device need not be its arrays' (a batch staged on the host, split onto GPUs)
        return scalar.getDevice().equals(like.getDevice()) ? scalar : scalar.toDevice(like.getDevice(), false);
    }
}
