package io.selfsup.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.selfsup.SelfsupException;
import io.selfsup.optim.OptimizerConfig;
import io.selfsup.config.TimeBudget;
import io.selfsup.data.EpochOrder;
import io.selfsup.optim.LearningRateSchedule;
import io.selfsup.optim.StatefulOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a time budget into a number of optimizer steps before the first real step: it times an epoch's end (test
 * loss and kNN monitor) and a few steps of the real network on the real batches, then puts the network and the
 * optimizer back exactly as they were (weights, batch-norm statistics, an EMA target, a queue, momentum buffers),
 * so the measurement leaves no trace in the run. What remains of the budget after the start-up is divided among
 * the steps, the epoch ends they span and the checkpoints they write, less a reserve for the final outputs.
 */
final class BudgetPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(BudgetPlanner.class);

    /** Steps taken before the timing starts: the first ones pay for allocations and the engine's warm-up. */
    static final int WARM_STEPS = 3;
    /**
     * At least this many steps are timed, and then steps until {@link #TIMED_SHARE} of the budget (at most
     * {@link #MAX_TIMED_SECONDS}) or {@link #MAX_TIMED_STEPS} steps: the first steps after the warm ones still run
     * slower than the steady state (a 30-minute VICReg run timed 5 steps at 1.55 s and then ran its second and
     * third epochs at 1.34 and 1.28 s a step), so a longer budget is timed longer.
     */
    static final int MIN_TIMED_STEPS = 5;
    static final double TIMED_SHARE = 0.01;
    static final double MAX_TIMED_SECONDS = 30.0;
    static final int MAX_TIMED_STEPS = 60;
    /** Kept back for the final outputs (model.params, pictures) and the machine's noise. */
    static final double RESERVE_SHARE = 0.01;
    static final double RESERVE_SECONDS = 2.0;

    private final TrainConfig config;
    private final LaunchClock launched;
    private final Duration checkpointEvery;

    BudgetPlanner(TrainConfig config, LaunchClock launched, Duration checkpointEvery) {
        this.config = config;
        this.launched = launched;
        this.checkpointEvery = checkpointEvery;
    }

    /** The budget with its steps fixed, measured on {@code steps}; nothing of the measurement stays. */
    TimeBudget plan(TrainingLoop.Steps steps, TrainingLoop.EpochEndCost epochEnd, Block network,
                    StatefulOptimizer optimizer, List<String> parameterIds, int stepsPerEpoch) {
        TimeBudget budget = config.timeBudget();
        double budgetSeconds = budget.time().toMillis() / 1000.0;
        LOG.info("time budget {}: timing an epoch's end and a few steps (undone afterwards)",
                TimeBudget.format(budget.time()));
        long t0 = System.nanoTime();
        Snapshot before = Snapshot.of(network, optimizer, parameterIds);
        double checkpointSeconds = 3 * (System.nanoTime() - t0) / 1e9 + 0.2;

        int[] order = EpochOrder.shuffled(steps.size(), config.seed(), 1);
        LossCheck check = steps.check(1, java.nio.file.Path.of("."));
        // the rates of the run's first steps (a warm-up's, when it has one): a fresh network at the peak rate
        // may diverge where the real run would not
        LearningRateSchedule early = config.optimizer().schedule(stepsPerEpoch, Long.MAX_VALUE / 2);
        int b = 0;
        for (; b < WARM_STEPS; b++) {
            steps.take(1, b % stepsPerEpoch, order, b, Long.MAX_VALUE, (float) early.at(b), check, null);
        }
        // after the warm steps: the first pass of anything pays the engine's one-time set-up
        long t1 = System.nanoTime();
        epochEnd.run();
        double epochEndSeconds = (System.nanoTime() - t1) / 1e9;
        long timedStart = System.nanoTime();
        int timed = 0;
        double timedSeconds = 0;
        double enough = Math.min(MAX_TIMED_SECONDS, TIMED_SHARE * budgetSeconds);
        while (timed < MIN_TIMED_STEPS || (timed < MAX_TIMED_STEPS && timedSeconds < enough)) {
            steps.take(1, (b + timed) % stepsPerEpoch, order, b + timed, Long.MAX_VALUE,
                    (float) early.at(b + timed), check, null);
            timed++;
            timedSeconds = (System.nanoTime() - timedStart) / 1e9;
        }
        double stepSeconds = timedSeconds / timed;
        before.restore(network, optimizer, parameterIds, steps.trainer().getManager());

        double startedAt = launched.elapsedSeconds();
        double remaining = budgetSeconds - startedAt - RESERVE_SECONDS - RESERVE_SHARE * budgetSeconds;
        long fit = stepsThatFit(remaining, stepSeconds, stepsPerEpoch, epochEndSeconds, checkpointSeconds,
                checkpointEvery.toMillis() / 1000.0);
        if (fit < 1) {
            throw new SelfsupException(String.format(Locale.ROOT, "the time budget %s leaves no time to train: "
                    + "%.0f s went to start-up and timing, a step takes %.2f s and an epoch's end %.1f s; raise "
                    + "--time-budget", TimeBudget.format(budget.time()), startedAt, stepSeconds, epochEndSeconds));
        }
        double expectedEnd = startedAt + secondsFor(fit, stepSeconds, stepsPerEpoch, epochEndSeconds,
                checkpointSeconds, checkpointEvery.toMillis() / 1000.0);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("step_seconds", stepSeconds);
        plan.put("timed_steps", timed);
        plan.put("epoch_end_seconds", epochEndSeconds);
        plan.put("checkpoint_seconds", checkpointSeconds);
        plan.put("training_starts_at_seconds", startedAt);
        plan.put("expected_end_seconds", expectedEnd);
        plan.put("epochs", (double) fit / stepsPerEpoch);
        LOG.info(String.format(Locale.ROOT, "time budget %s: a step takes %.3f s (%d timed), an epoch's end %.1f s; "
                + "%d steps fit (%.2f epochs of %d), training from %s to about %s", TimeBudget.format(budget.time()),
                stepSeconds, timed, epochEndSeconds, fit, (double) fit / stepsPerEpoch, stepsPerEpoch,
                clock(startedAt), clock(expectedEnd)));
        return budget.withPlan(fit, plan);
    }

    /**
     * The optimizer of a budget of {@code steps} steps: the asked one when its warm-up takes less than half of them.
     * A method's default warm-up (VICReg's epoch, on a folder whose epoch is longer than the budget) is cut to half
     * of them, and the peak rate to the one the default ramp reaches there: with the full peak after a cut ramp a
     * 24-step VICReg budget at 96 pixels sent the loss to NaN, and no step goes faster than in a run with the whole
     * warm-up. A warm-up asked for with --warmup-epochs that does not fit is an error.
     */
    static OptimizerConfig optimizerFor(TrainConfig config, long steps, int stepsPerEpoch) {
        OptimizerConfig asked = config.optimizer();
        long warmupSteps = Math.round((double) asked.warmupEpochs() * stepsPerEpoch);
        if (warmupSteps * 2 <= steps) {
            return asked;
        }
        if (asked.warmupEpochs() == config.method().method().defaultWarmupEpochs()) {
            long cut = steps / 2;
            float rate = asked.learningRate() * cut / warmupSteps;
            LOG.info(String.format(Locale.ROOT, "time budget %s: %s's warm-up of %s epochs (%d steps) would take more "
                    + "than half of the %d steps that fit; %d steps instead, up to the rate that warm-up reaches "
                    + "there, %.4g (--warmup-epochs chooses)", TimeBudget.format(config.timeBudget().time()),
                    config.method().id(), asked.warmupEpochs(), warmupSteps, steps, cut, rate));
            return asked.withWarmupEpochs((float) cut / stepsPerEpoch).withLearningRate(rate);
        }
        if (warmupSteps >= steps) {
            throw new SelfsupException(String.format(Locale.ROOT, "the time budget %s fits %d steps (%.2f epochs), "
                    + "no more than the warm-up of %s epochs; lower --warmup-epochs or raise --time-budget",
                    TimeBudget.format(config.timeBudget().time()), steps, (double) steps / stepsPerEpoch,
                    asked.warmupEpochs()));
        }
        return asked;
    }

    /**
     * The most steps whose time, with the epoch ends and the periodic checkpoints they bring, fits
     * {@code seconds}. That time only grows with the steps, so a binary search finds the largest count.
     */
    static long stepsThatFit(double seconds, double stepSeconds, int stepsPerEpoch, double epochEndSeconds,
                             double checkpointSeconds, double checkpointEverySeconds) {
        if (!(seconds > 0) || !(stepSeconds > 0)) {
            return 0;
        }
        long low = 0;
        long high = (long) Math.floor(seconds / stepSeconds);
        while (low < high) {
            long mid = low + (high - low + 1) / 2;
            if (secondsFor(mid, stepSeconds, stepsPerEpoch, epochEndSeconds, checkpointSeconds,
                    checkpointEverySeconds) <= seconds) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The wall time of {@code steps} steps with their epoch ends and periodic checkpoints. */
    static double secondsFor(long steps, double stepSeconds, int stepsPerEpoch, double epochEndSeconds,
                             double checkpointSeconds, double checkpointEverySeconds) {
        double training = steps * stepSeconds;
        return training + epochs(steps, stepsPerEpoch) * (epochEndSeconds + checkpointSeconds)
                + checkpoints(training, checkpointEverySeconds) * checkpointSeconds;
    }

    /** The epochs {@code steps} span, the last one possibly cut short. */
    static int epochs(long steps, int stepsPerEpoch) {
        return (int) Math.max(1, (steps + stepsPerEpoch - 1) / stepsPerEpoch);
    }

    private static long checkpoints(double trainingSeconds, double everySeconds) {
        return everySeconds > 0 ? (long) Math.floor(trainingSeconds / everySeconds) : 0;
    }

    /** 1234.5 s as "20m34s". */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }

    /** Every parameter's values and the optimizer's state, to be put back exactly. */
    private record Snapshot(List<float[]> values, byte[] optimizerState) {

        static Snapshot of(Block network, StatefulOptimizer optimizer, List<String> parameterIds) {
            List<float[]> values = arrays(network).stream().map(NDArray::toFloatArray).toList();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                optimizer.saveState(out, parameterIds);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Snapshot(values, bytes.toByteArray());
        }

        void restore(Block network, StatefulOptimizer optimizer, List<String> parameterIds,
                     ai.djl.ndarray.NDManager manager) {
            List<NDArray> arrays = arrays(network);
            for (int i = 0; i < arrays.size(); i++) {
                arrays.get(i).set(values.get(i));
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(optimizerState))) {
                optimizer.loadState(in, parameterIds, manager);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static List<NDArray> arrays(Block network) {
            return network.getParameters().values().stream().map(Parameter::getArray).toList();
        }
    }
}
