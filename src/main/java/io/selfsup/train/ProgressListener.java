package io.selfsup.train;

import io.selfsup.console.ProgressLine;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * The progress line of each epoch: images done, rate, running loss. It reads the loss (a wait for the device)
 * only on batches where a line is printed.
 */
final class ProgressListener implements TrainingListener {

    private final ProgressLine.Mode mode;
    private final PrintStream out;
    private final LongSupplier clock;
    private ProgressLine line;

    ProgressListener(ProgressLine.Mode mode, PrintStream out, LongSupplier clock) {
        this.mode = mode;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void onEpochBegin(EpochBegin event) {
        line = new ProgressLine("epoch " + event.epoch() + "/" + event.epochs(), event.images(), event.imagesDone(),
                mode, out, clock);
    }

    @Override
    public void onBatchEnd(BatchEnd event) {
        if (line.due(event.imagesDone())) {
            line.report(event.imagesDone(), event.meanLoss());
        }
        if (event.last()) {
            line.finish();
        }
    }

    /** A redrawn line is cleared after the stop's checkpoint is written, before the stop is reported. */
    @Override
    public void onStop(BatchEnd event) {
        line.finish();
    }
}
