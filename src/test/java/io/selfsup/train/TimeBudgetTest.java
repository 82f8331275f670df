package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.JsonUtils;
import io.selfsup.SelfsupException;
import io.selfsup.StoppedException;
import io.selfsup.UsageException;
import io.selfsup.config.RunConfig;
import io.selfsup.config.TimeBudget;
import io.selfsup.console.ProgressLine;
import io.selfsup.method.MethodConfig;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --time-budget on the bundled images: a budgeted run measures its step time, fixes its steps in config.json
 * before the first real step, ends within its budget, and a stopped budgeted run resumes to the very parameters of
 * an uninterrupted run of those steps that never measured anything (so the measurement leaves no trace: the
 * network, its batch-norm statistics and the optimizer's momentum are put back exactly).
 */
class TimeBudgetTest {

    /** SimCLR on a ResNet-18 of width 8 over 128 images, batch 32: 4 steps an epoch, batch norm everywhere. */
    private static TrainConfig config(Path output, TimeBudget budget) {
        return TrainConfigBuilder.tinyRun().output(output).runsRoot(output.getParent()).batchSize(32).seed(5)
                .limit(128).method(MethodConfig.defaults("simclr", BackboneType.RESNET18, 8)).timeBudget(budget)
                .build();
    }

    private static TrainingControl control(int stopAt) {
        AtomicInteger asked = new AtomicInteger();
        return TrainingControl.defaults().withProgress(ProgressLine.Mode.OFF).withCheckpointEvery(Duration.ZERO)
                .withStop(() -> asked.incrementAndGet() >= stopAt);
    }

    private static RunConfig read(Path run) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = JsonUtils.GSON.fromJson(Files.readString(run.resolve("config.json")), Map.class);
        return RunConfig.fromMap(m, run.resolve("config.json"));
    }

    @Test
    void aBudgetedRunFixesItsStepsEndsInTimeAndResumesToTheRunThatNeverMeasured(@TempDir Path tmp)
            throws IOException {
        Duration budget = Duration.ofSeconds(30);
        Path stopped = tmp.resolve("stopped");
        // the 3rd stop question comes after the 3rd batch: within epoch 1
        assertThrows(StoppedException.class,
                () -> TrainingSession.run(config(stopped, TimeBudget.of(budget)), control(3), r -> { }));
        TimeBudget planned = read(stopped).options().timeBudget();
        assertTrue(planned.planned(), "the steps are in config.json before training: " + planned);
        assertTrue(planned.plan().containsKey("step_seconds"), "and how they were found");
        int epochs = read(stopped).options().epochs();
        assertEquals((planned.steps() + 3) / 4, epochs, "epochs are what the steps span, the last one cut short");

        TrainingSession.resume(ResumeRequest.of(stopped, null),
                control(Integer.MAX_VALUE), r -> { });
        assertEquals(planned, read(stopped).options().timeBudget(), "resume keeps the fixed steps");
        assertEquals(epochs + 1, Files.readAllLines(stopped.resolve("metrics.csv")).size(), "header + every epoch");

        Path straight = tmp.resolve("straight");
        TrainingSession.run(config(straight, TimeBudget.of(budget).withPlan(planned.steps(), Map.of())),
                control(Integer.MAX_VALUE), r -> { });
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(stopped.resolve("model.params")),
                "measured, stopped and resumed = the same steps taken straight through without measuring");
    }

    @Test
    void aBudgetedRunEndsWithinItsBudget(@TempDir Path tmp) {
        Duration budget = Duration.ofSeconds(40);
        long start = System.nanoTime();
        TrainingSession.run(config(tmp.resolve("run"), TimeBudget.of(budget)), control(Integer.MAX_VALUE), r -> { });
        double seconds = (System.nanoTime() - start) / 1e9;
        // the plan keeps 1% + 2 s back; this bound allows for a machine that slows down after the step was timed
        assertTrue(seconds <= budget.toSeconds() * 1.5, "took " + seconds + " s of a " + budget + " budget");
    }

    @Test
    void aBudgetOfTwoEpochsOfStepsTrainsAsTwoEpochsDo(@TempDir Path tmp) throws IOException {
        Path epochs = tmp.resolve("epochs");
        TrainingSession.run(TrainConfigBuilder.tinyRun().output(epochs).runsRoot(tmp).batchSize(32).seed(5).limit(128)
                .method(MethodConfig.defaults("simclr", BackboneType.RESNET18, 8)).epochs(2).build(),
                control(Integer.MAX_VALUE), r -> { });
        Path steps = tmp.resolve("steps");
        TrainingSession.run(config(steps, TimeBudget.of(Duration.ofMinutes(1)).withPlan(8, Map.of())),
                control(Integer.MAX_VALUE), r -> { });
        assertArrayEquals(Files.readAllBytes(epochs.resolve("model.params")),
                Files.readAllBytes(steps.resolve("model.params")), "the same schedule over the same 8 steps");
    }

    @Test
    void epochsCannotExtendABudgetedRunOnResume(@TempDir Path tmp) {
        Path stopped = tmp.resolve("stopped");
        assertThrows(StoppedException.class, () -> TrainingSession.run(
                config(stopped, TimeBudget.of(Duration.ofSeconds(30)).withPlan(6, Map.of())), control(2), r -> { }));
        UsageException e = assertThrows(UsageException.class,
                () -> TrainingSession.resume(ResumeRequest.of(stopped, 5), control(Integer.MAX_VALUE), r -> { }));
        assertTrue(e.getMessage().contains("leave out --epochs"), e.getMessage());
    }

    /**
     * VICReg's default warm-up epoch on data whose epoch is longer than the budget (a large folder) is cut to half
     * the steps that fit, not an error; a warm-up asked for keeps its value while it fits, and one that does not is
     * an error naming the option.
     */
    @Test
    void aMethodsDefaultWarmUpIsFittedToTheBudgetAnAskedOneIsNot() {
        MethodConfig vicreg = MethodConfig.defaults("vicreg", BackboneType.RESNET18, 8);
        TrainConfig byDefault = TrainConfigBuilder.tinyRun().method(vicreg).timeBudget(TimeBudget.of(Duration
                .ofMinutes(3))).optimizer(OptimizerConfig.defaults(
                        OptimizerConfig.Type.SGD, 256).withWarmupEpochs(1)).build();
        assertEquals(1f, vicreg.method().defaultWarmupEpochs());
        float peak = byDefault.optimizer().learningRate();
        assertEquals(byDefault.optimizer(), BudgetPlanner.optimizerFor(byDefault, 400, 195),
                "fits in half the steps: kept");
        OptimizerConfig cut = BudgetPlanner.optimizerFor(byDefault, 140, 703);
        assertEquals(70f / 703, cut.warmupEpochs(), 1e-6, "cut to 70 of 140 steps");
        assertEquals(peak * 70 / 703, cut.learningRate(), 1e-7, "the peak where the whole ramp is at step 70");
        TrainConfig asked = byDefault.withOptimizer(byDefault.optimizer().withWarmupEpochs(0.5f));
        assertEquals(asked.optimizer(), BudgetPlanner.optimizerFor(asked, 140, 200),
                "100 of 140 steps: more than half, kept");
        SelfsupException e = assertThrows(SelfsupException.class,
                () -> BudgetPlanner.optimizerFor(asked, 140, 703));
        assertTrue(e.getMessage().contains("--warmup-epochs"), e.getMessage());
    }

    @Test
    void stepsThatFitIsTheLargestCountWhoseTimeFits() {
        for (double seconds : List.of(0.5, 10.0, 100.0, 1234.5)) {
            long n = BudgetPlanner.stepsThatFit(seconds, 0.7, 7, 4.0, 0.5, 60);
            assertTrue(BudgetPlanner.secondsFor(n, 0.7, 7, 4.0, 0.5, 60) <= seconds || n == 0, "fits: " + n);
            assertTrue(BudgetPlanner.secondsFor(n + 1, 0.7, 7, 4.0, 0.5, 60) > seconds, "largest: " + n);
        }
        assertEquals(0, BudgetPlanner.stepsThatFit(-3, 0.7, 7, 4.0, 0.5, 60), "nothing left");
        // 10 steps of 1 s and one epoch end of 4 s fit 14 s; the 11th step brings the second epoch end
        assertEquals(10, BudgetPlanner.stepsThatFit(14, 1, 10, 4, 0, 0));
        assertEquals(10, BudgetPlanner.stepsThatFit(18.9, 1, 10, 4, 0, 0));
        assertEquals(11, BudgetPlanner.stepsThatFit(19, 1, 10, 4, 0, 0));
    }

    @Test
    void budgetsReadAsUsersWriteThem() {
        assertEquals(Duration.ofMinutes(30), TimeBudget.parse("30m"));
        assertEquals(Duration.ofSeconds(90), TimeBudget.parse("90s"));
        assertEquals(Duration.ofMinutes(90), TimeBudget.parse("1h30m"));
        assertEquals(Duration.ofMinutes(90), TimeBudget.parse("1.5h"));
        assertEquals("1h30m", TimeBudget.format(Duration.ofMinutes(90)));
        assertEquals("45s", TimeBudget.format(Duration.ofSeconds(45)));
        assertEquals("10m", TimeBudget.format(Duration.ofMinutes(10)));
        for (String bad : List.of("30", "m", "10 minutes", "-5m", "0s", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeBudget.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("30m") || e.getMessage().contains("at least"), e.getMessage());
        }
    }
}
