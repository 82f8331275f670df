package io.selfsup.train;

import io.selfsup.console.ProgressLine;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What steers a run from outside its options: a stop request (Ctrl-C; asked once per batch), a call when the
 * first batch is about to start (before it, a stop need not wait for a checkpoint), how often a long epoch writes
 * a mid-epoch checkpoint, and how progress is shown.
 *
 * @param checkpointEvery time between mid-epoch checkpoints; zero turns them off (epoch ends still write one)
 * @param launched where a time budget is counted from
 */
public record TrainingControl(BooleanSupplier stopRequested, Runnable onTrainingStarted, Duration checkpointEvery,
                              ProgressLine.Mode progress, LaunchClock launched) {

    public static final Duration DEFAULT_CHECKPOINT_EVERY = Duration.ofMinutes(10);

    public TrainingControl {
        if (checkpointEvery.isNegative()) {
            throw new io.selfsup.SelfsupException("--checkpoint-every must be 0 (off) or more minutes, got "
                    + checkpointEvery.toMinutes());
        }
    }

    /** Never stops, checkpoints every 10 minutes, progress on the console. */
    public static TrainingControl defaults() {
        return new TrainingControl(() -> false, () -> { }, DEFAULT_CHECKPOINT_EVERY, ProgressLine.consoleMode(),
                LaunchClock.now());
    }

    public TrainingControl withStop(BooleanSupplier value) {
        return new TrainingControl(value, onTrainingStarted, checkpointEvery, progress, launched);
    }

    public TrainingControl withCheckpointEvery(Duration value) {
        return new TrainingControl(stopRequested, onTrainingStarted, value, progress, launched);
    }

    public TrainingControl withProgress(ProgressLine.Mode value) {
        return new TrainingControl(stopRequested, onTrainingStarted, checkpointEvery, value, launched);
    }

    /** A budget counted from {@code value} (ssl-train: the JVM's start). */
    public TrainingControl withLaunched(LaunchClock value) {
        return new TrainingControl(stopRequested, onTrainingStarted, checkpointEvery, progress, value);
    }

    public TrainingControl withOnTrainingStarted(Runnable value) {
        return new TrainingControl(stopRequested, value, checkpointEvery, progress, launched);
    }
}
