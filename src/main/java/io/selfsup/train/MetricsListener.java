package io.selfsup.train;

import io.selfsup.run.RunDirectory;

/** Rewrites metrics.csv after each epoch, from the rows of every complete epoch. */
final class MetricsListener implements TrainingListener {

    private final RunDirectory run;

    MetricsListener(RunDirectory run) {
        this.run = run;
    }

    @Override
    public void onEpochEnd(EpochEnd event) {
        run.writeMetrics(event.metrics());
    }
}
