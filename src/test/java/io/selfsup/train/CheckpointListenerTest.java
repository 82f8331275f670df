package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.run.CheckpointState;
import io.selfsup.run.EpochResult;
import io.selfsup.train.TrainingListener.BatchEnd;
import io.selfsup.train.TrainingListener.EpochEnd;
import io.selfsup.train.TrainingListener.EpochLoss;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * When the checkpoint listener writes a checkpoint and what it holds, on a fake clock and a fake running loss:
 * mid-epoch ones when the interval has passed since the last one or a stop was asked for, never after an
 * epoch's last batch, always at an epoch's end; the running loss is read only for a checkpoint.
 */
class CheckpointListenerTest {

    private static final List<String> ROWS = List.of("1,0.5,,2.000,100.0,");

    /** A running loss of 64 images per batch whose reads are counted. */
    private static final class CountedLoss implements EpochLoss {
        int reads;
        long images;

        @Override
        public long images() {
            return images;
        }

        @Override
        public float sum(long upTo) {
            reads++;
            return 0.1f * upTo;
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final List<CheckpointState> written = new ArrayList<>();
    private final CountedLoss loss = new CountedLoss();

    private CheckpointListener listener(Duration every) {
        CheckpointListener listener = new CheckpointListener(written::add, every, now::get);
        listener.onTrainingBegin(true);
        return listener;
    }

    /** Batch {@code batch} of 4 of epoch 2 ends at {@code nanos} on the fake clock. */
    private BatchEnd batch(int batch, long nanos, boolean stop) {
        now.set(nanos);
        loss.images = 64L * (batch + 1);
        return new BatchEnd(2, batch, 4, 64L * (batch + 1), stop, ROWS, loss, () -> nanos / 1e9);
    }

    @Test
    void aMidEpochCheckpointIsWrittenWhenTheIntervalHasPassedSinceTheLastOne() {
        CheckpointListener listener = listener(Duration.ofNanos(100));
        listener.onBatchEnd(batch(0, 99, false));
        assertEquals(0, written.size(), "99 ns after training began");
        assertEquals(0, loss.reads, "no checkpoint, no read of the running loss");
        listener.onBatchEnd(batch(1, 100, false));
        listener.onBatchEnd(batch(2, 150, false));
        assertEquals(1, written.size(), "at 100 ns, not again 50 ns later");
        CheckpointState state = written.get(0);
        assertEquals(new CheckpointState(2, 2, 0.1f * 128, 128, 100 / 1e9, ROWS), state,
                "the next batch to train, the running loss read bit for bit, the seconds, the complete epochs' rows");
        assertEquals(1, loss.reads);
    }

    @Test
    void noMidEpochCheckpointFollowsAnEpochsLastBatchButOneIsWrittenAtItsEnd() {
        CheckpointListener listener = listener(Duration.ofNanos(1));
        listener.onBatchEnd(batch(3, 1_000, true));
        assertEquals(0, written.size(), "the last batch, even with the interval passed and a stop asked for");
        List<String> rows = List.of(ROWS.get(0), "2,0.4,,2.000,100.0,");
        listener.onEpochEnd(new EpochEnd(new EpochResult(2, 3, 0.4, Double.NaN, 2, 100, Double.NaN), rows));
        assertEquals(List.of(CheckpointState.afterEpoch(2, rows)), written);
    }

    @Test
    void aStopRequestWritesACheckpointAtOnceEvenWithMidEpochCheckpointsOff() {
        CheckpointListener listener = listener(Duration.ZERO);
        listener.onBatchEnd(batch(0, Long.MAX_VALUE / 2, false));
        assertTrue(written.isEmpty(), "an interval of zero writes no mid-epoch checkpoint");
        listener.onBatchEnd(batch(1, Long.MAX_VALUE / 2, true));
        assertEquals(1, written.size());
        assertEquals("batch 2 of epoch 2", written.get(0).describe());
    }

    @Test
    void theIntervalCountsFromTheLastMidEpochCheckpointNotFromAnEpochsEnd() {
        CheckpointListener listener = listener(Duration.ofNanos(100));
        listener.onBatchEnd(batch(1, 100, false));
        listener.onEpochEnd(new EpochEnd(new EpochResult(2, 3, 0.4, Double.NaN, 2, 100, Double.NaN), ROWS));
        listener.onBatchEnd(batch(0, 200, false));
        assertEquals(3, written.size(), "mid-epoch at 100 ns, the epoch's end, mid-epoch again at 200 ns");
        assertEquals(List.of(true, false, true), written.stream().map(CheckpointState::midEpoch).toList());
    }
}
