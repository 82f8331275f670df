package io.selfsup.nn;

import ai.djl.ndarray.NDArray;

/**
 * DJL attaches an operation's result to the manager of its first operand. Operations that start from a
 * parameter would therefore pile their results (a reshaped kernel, a matrix product) into the model's
 * manager, which lives as long as training: a leak of megabytes per batch. A view of the parameter owned by
 * the batch's manager makes everything derived from it die with the batch, while autograd still reaches the
 * parameter through the view.
 */
final class BatchScope {

    private BatchScope() {}

    /** A view of {@code parameter} owned by the manager of {@code input}. */
    static NDArray view(NDArray input, NDArray parameter) {
        NDArray view = parameter.reshape(parameter.getShape());
        view.attach(input.getManager());
        return view;
    }
}
