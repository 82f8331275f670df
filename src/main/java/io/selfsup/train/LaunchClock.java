package io.selfsup.train;

import java.lang.management.ManagementFactory;

/**
 * Where a run's wall time is counted from: a time budget covers everything from the launch (JVM start-up, data
 * loading, the kNN monitor, checkpoints) to the last line, as the user's own clock does.
 *
 * @param startMillis the start, in milliseconds since the epoch
 */
public record LaunchClock(long startMillis) {

    /** The JVM's own start: ssl-train's launch, less what the shell did before it. */
    public static LaunchClock processStart() {
        return new LaunchClock(ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** From now: a run started from inside a longer-lived process (a test, a library user). */
    public static LaunchClock now() {
        return new LaunchClock(System.currentTimeMillis());
    }

    public double elapsedSeconds() {
        return (System.currentTimeMillis() - startMillis) / 1000.0;
    }
}
