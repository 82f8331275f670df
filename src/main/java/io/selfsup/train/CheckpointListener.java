package io.selfsup.train;

import io.selfsup.run.CheckpointState;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Writes the checkpoints: after each epoch, and within one after a batch when {@code every} has passed since
 * the last mid-epoch checkpoint (or since training began) or a stop was requested. None is written after an
 * epoch's last batch: the epoch's own checkpoint follows. A mid-epoch checkpoint holds the running loss bit for
 * bit, so a run resumed from it reports the loss an uninterrupted one would.
 */
final class CheckpointListener implements TrainingListener {

    private final Consumer<CheckpointState> write;
    private final long everyNanos;
    private final LongSupplier clock;
    private long lastCheckpoint;

    /** @param every time between mid-epoch checkpoints; zero turns them off (epoch ends still write one) */
    CheckpointListener(Consumer<CheckpointState> write, Duration every, LongSupplier clock) {
        this.write = write;
        this.everyNanos = every.toNanos();
        this.clock = clock;
    }

    @Override
    public void onTrainingBegin(boolean newRun) {
        lastCheckpoint = clock.getAsLong();
    }

    @Override
    public void onBatchEnd(BatchEnd event) {
        if (event.last() || !(event.stopRequested() || due())) {
            return;
        }
        double seconds = event.seconds().getAsDouble();
        float lossSum = event.lossSum();
        write.accept(new CheckpointState(event.epoch(), event.batch() + 1, lossSum, event.loss().images(), seconds,
                event.metrics()));
        lastCheckpoint = clock.getAsLong();
    }

    @Override
    public void onEpochEnd(EpochEnd event) {
        write.accept(CheckpointState.afterEpoch(event.result().epoch(), event.metrics()));
    }

    private boolean due() {
        return everyNanos > 0 && clock.getAsLong() - lastCheckpoint >= everyNanos;
    }
}
