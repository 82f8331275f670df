package io.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.selfsup.SelfsupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPU's loss check, for one epoch: each batch's loss is read after its forward pass, where that costs
 * nothing. A single non-finite one is skipped (no backward, no step, as PyTorch's GradScaler skips an
 * overflowing step) and reported with what was non-finite; a run whose parameters became non-finite, or whose
 * batches keep failing, stops with a message, its last checkpoint intact.
 */
final class DivergenceGuard implements LossCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DivergenceGuard.class);
    /** Consecutive skipped batches after which the run is taken to have diverged. */
    static final int MAX_CONSECUTIVE = 3;

    private final int epoch;
    private final Block network;
    private int consecutive;

    DivergenceGuard(int epoch, Block network) {
        this.epoch = epoch;
        this.network = network;
    }

    /** Reads the batch's loss on the host: waits for every device's forward pass, which were queued first. */
    @Override
    public NDArray step(ReplicatedStep.Pass pass, NDList views, int firstImage) {
        NDArray lossSum = pass.lossSum();
        float value = lossSum.getFloat();
        if (!Float.isFinite(value)) {
            skip(firstImage, value, views);
            return null;
        }
        passed();
        pass.step();
        return lossSum;
    }

    /** The sum of the batches that passed: finite. */
    @Override
    public float read(float sum, long upTo) {
        return sum;
    }

    void passed() {
        consecutive = 0;
    }

    /** Records a batch with a non-finite loss; throws when training cannot go on. */
    void skip(int firstImage, double loss, NDList views) {
        String parameter = firstNonFinite();
        if (parameter != null) {
            throw new SelfsupException("the loss diverged (" + loss + ") in epoch " + epoch + " at image " + firstImage
                    + ": parameter " + parameter + " is no longer finite; lower --lr (or --resume from the last "
                    + "checkpoint)");
        }
        consecutive++;
        boolean badInput = views.stream().anyMatch(v -> v.isInfinite().logicalOr(v.isNaN()).any().getBoolean());
        LOG.warn("epoch {}, batch at image {}: loss {} (views {}, parameters finite); batch skipped", epoch,
                firstImage, loss, badInput ? "NOT finite" : "finite");
        if (consecutive >= MAX_CONSECUTIVE) {
            throw new SelfsupException("the loss diverged (" + loss + ") in epoch " + epoch + ": " + consecutive
                    + " batches in a row up to image " + firstImage + " were not finite; lower --lr");
        }
    }

    private String firstNonFinite() {
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray a = p.getValue().getArray();
            if (a.isInfinite().logicalOr(a.isNaN()).any().getBoolean()) {
                return p.getKey();
            }
        }
        return null;
    }
}
