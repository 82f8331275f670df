package io.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.selfsup.SelfsupException;
import java.nio.file.Path;

/**
 * A GPU's loss check: nothing waits for the device batch by batch, and the running loss is checked whenever it
 * is read (progress line, checkpoint, epoch end). A non-finite one stops the run there, before anything is
 * written from the parameters it spoiled; --resume continues from the last checkpoint.
 */
final class DeferredLossCheck implements LossCheck {

    private final int epoch;
    private final Path run;

    DeferredLossCheck(int epoch, Path run) {
        this.epoch = epoch;
        this.run = run;
    }

    @Override
    public NDArray step(ReplicatedStep.Pass pass, NDList views, int firstImage) {
        NDArray lossSum = pass.lossSum();
        pass.step();
        return lossSum;
    }

    @Override
    public float read(float sum, long upTo) {
        if (!Float.isFinite(sum)) {
            throw new SelfsupException("the loss stopped being finite (" + sum + ") in epoch " + epoch
                    + " before image " + upTo + "; the parameters since the last checkpoint are lost: lower --lr, "
                    + "or --resume " + run + " from that checkpoint");
        }
        return sum;
    }
}
