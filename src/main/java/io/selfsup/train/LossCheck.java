package io.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What a non-finite loss does to an epoch, one of two ways: {@link DivergenceGuard} reads each batch's loss
 * before its step and skips a non-finite one (free on the CPU); {@link DeferredLossCheck} never waits for the
 * device batch by batch and refuses a running loss that is read non-finite (a GPU's way). It is no listener:
 * it decides whether a step is taken and whether a loss read may be used, inside the step.
 */
interface LossCheck {

    /**
     * The optimizer step on a batch whose forward pass is done: returns the batch's summed loss (owned by the
     * batch), or null when the batch was skipped without a step.
     */
    NDArray step(ReplicatedStep.Pass pass, NDList views, int firstImage);

    /** The epoch's summed loss as read on the host, after {@code upTo} of its images; throws if it cannot be used. */
    float read(float sum, long upTo);
}
