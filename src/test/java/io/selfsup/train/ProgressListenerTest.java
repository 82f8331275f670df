package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.console.ProgressLine;
import io.selfsup.train.TrainingListener.BatchEnd;
import io.selfsup.train.TrainingListener.EpochBegin;
import io.selfsup.train.TrainingListener.EpochLoss;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress listener prints the epoch's line only when one is due, reading the running loss (a wait for the
 * device) just for those batches, and clears a redrawn line after the epoch's last batch or a stop.
 */
class ProgressListenerTest {

    /** Every batch's loss sums to 2 per image; reads are counted. */
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
            return 2f * images;
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final CountedLoss loss = new CountedLoss();

    private BatchEnd batch(int batch, int batches, boolean stop) {
        loss.images = 5L * (batch + 1);
        return new BatchEnd(1, batch, batches, 5L * (batch + 1), stop, List.of(), loss, () -> 0);
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPlainLineIsPrintedForEachTenthAndOnlyThenIsTheLossRead() {
        ProgressListener listener = new ProgressListener(ProgressLine.Mode.PLAIN, out, () -> 0);
        listener.onEpochBegin(new EpochBegin(1, 3, 0, 20, 100, 0));
        for (int b = 0; b < 20; b++) {
            listener.onBatchEnd(batch(b, 20, false));
        }
        List<String> lines = printed().lines().toList();
        assertEquals(10, lines.size(), "batches of 5 of 100 images: every other batch completes a tenth");
        assertEquals(10, loss.reads, "the loss is read for the printed lines only");
        assertTrue(lines.get(0).startsWith("epoch 1/3: 10/100 images (10%)") && lines.get(0).contains("loss 2.0000"),
                lines.get(0));
    }

    @Test
    void aRedrawnLineIsClearedAfterTheEpochsLastBatch() {
        long[] clock = {0};
        ProgressListener listener = new ProgressListener(ProgressLine.Mode.REDRAW, out, () -> clock[0]);
        listener.onEpochBegin(new EpochBegin(2, 2, 1, 3, 15, 5));
        clock[0] = 1_000_000_000L;
        listener.onBatchEnd(batch(1, 3, false));
        assertTrue(printed().startsWith("\repoch 2/2: 10/15 images (66%)"), printed());
        assertTrue(!printed().endsWith("\r"), "the line stays while the epoch runs");
        listener.onBatchEnd(batch(2, 3, false));
        assertTrue(printed().endsWith("\r"), "cleared after the last batch: " + printed());
    }

    @Test
    void aRedrawnLineIsClearedOnAStop() {
        long[] clock = {0};
        ProgressListener listener = new ProgressListener(ProgressLine.Mode.REDRAW, out, () -> clock[0]);
        listener.onEpochBegin(new EpochBegin(1, 2, 0, 3, 15, 0));
        clock[0] = 1_000_000_000L;
        BatchEnd stop = batch(0, 3, true);
        listener.onBatchEnd(stop);
        assertTrue(!printed().endsWith("\r"), printed());
        listener.onStop(stop);
        assertTrue(printed().endsWith("\r"), "cleared before the stop is reported: " + printed());
    }
}
