package io.selfsup.train;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs how long a new run took to reach its first training batch: the start-up cost a user waits through. */
final class StartupTimeListener implements TrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(StartupTimeListener.class);

    @Override
    public void onEpochBegin(EpochBegin event) {
        if (event.epoch() == 1 && event.firstBatch() == 0 && event.batches() > 0) {
            long sinceStart = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            LOG.info("first training batch starts {} s after the JVM started (at {})",
                    String.format("%.2f", sinceStart / 1e3), Instant.now());
        }
    }
}
