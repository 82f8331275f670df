package io.selfsup.train;

import io.selfsup.run.EpochResult;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * What happens around the training loop's steps, in the shape of DJL's TrainingListener: checkpoints, metrics,
 * pictures, the progress line. The loop calls its listeners in their list's order at each point, so the order
 * of their effects is the list's (a checkpoint before metrics.csv, for one). Listeners learn where training
 * stands from the events alone; an exception a listener throws ends the run.
 */
interface TrainingListener {

    /** Once, before the first batch; {@code newRun} is false when resuming from a checkpoint. */
    default void onTrainingBegin(boolean newRun) {}

    default void onEpochBegin(EpochBegin event) {}

    /** After each batch's optimizer step. */
    default void onBatchEnd(BatchEnd event) {}

    /**
     * A stop request ends training after this batch, in mid-epoch: every listener's {@link #onBatchEnd} for it
     * has run (the checkpoint is written), and a StoppedException follows.
     */
    default void onStop(BatchEnd event) {}

    /** After an epoch's batches and its measurements (test loss, kNN accuracy). */
    default void onEpochEnd(EpochEnd event) {}

    /** After the last epoch, before the final model is written. */
    default void onTrainingEnd() {}

    /** A listener that hands each epoch's result to {@code action}. */
    static TrainingListener atEpochEnd(Consumer<EpochResult> action) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEnd event) {
                action.accept(event.result());
            }
        };
    }

    /**
     * An epoch about to train, from its start or, resumed, from within.
     *
     * @param firstBatch the batch it starts with (0 unless resumed in mid-epoch)
     * @param batches batches per epoch
     * @param images images per epoch
     * @param imagesDone images of the epoch already trained before {@code firstBatch}
     */
    record EpochBegin(int epoch, int epochs, int firstBatch, int batches, long images, long imagesDone) {}

    /**
     * A batch trained.
     *
     * @param batch its index in the epoch, from 0
     * @param imagesDone images of the epoch trained so far, this batch's included
     * @param stopRequested whether a stop was asked for after this batch (asked once per batch)
     * @param metrics the metrics rows of the complete epochs, as a checkpoint carries them
     * @param loss the epoch's running loss
     * @param seconds the epoch's training time so far, measured when asked
     */
    record BatchEnd(int epoch, int batch, int batches, long imagesDone, boolean stopRequested, List<String> metrics,
                    EpochLoss loss, DoubleSupplier seconds) {

        public BatchEnd {
            metrics = List.copyOf(metrics);
        }

        /** Whether this was the epoch's last batch. */
        public boolean last() {
            return batch + 1 == batches;
        }

        /** Whether a stop request ends training here, in mid-epoch (one after the last batch waits for its end). */
        public boolean stops() {
            return stopRequested && !last();
        }

        /** The epoch's summed loss so far; waits for the device. */
        public float lossSum() {
            return loss.sum(imagesDone);
        }

        /** The epoch's mean loss so far, or NaN before any image counted; waits for the device. */
        public double meanLoss() {
            return loss.images() == 0 ? Double.NaN : (double) loss.sum(imagesDone) / loss.images();
        }
    }

    /**
     * An epoch complete and measured.
     *
     * @param metrics the metrics rows of every complete epoch, this one's last
     */
    record EpochEnd(EpochResult result, List<String> metrics) {

        public EpochEnd {
            metrics = List.copyOf(metrics);
        }
    }

    /** An epoch's running loss, read on the host through the run's {@link LossCheck}. */
    interface EpochLoss {

        /** Images whose loss is in the sum: those of the batches trained, less skipped ones. */
        long images();

        /**
         * The summed loss; waits for the device. {@code upTo} (images of the epoch trained) names the place in
         * a divergence message.
         */
        float sum(long upTo);
    }
}
