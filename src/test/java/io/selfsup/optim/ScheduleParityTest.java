package io.selfsup.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.selfsup.Fixtures;
import org.junit.jupiter.api.Test;

/** WarmupCosine against torch's own schedulers stepped once per optimizer step (scripts/fixtures/make-objective-fixtures.py). */
class ScheduleParityTest {

    /** Every step 0..total equals torch's SequentialLR(LinearLR, CosineAnnealingLR), to 1e-12 relative. */
    @Test
    void warmupCosineMatchesTorchSchedulers() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_schedule");
            double[] c = f.get("config").toDoubleArray();
            LearningRateSchedule schedule = new LearningRateSchedule.WarmupCosine(c[0], (long) c[1], (long) c[2], c[3]);
            double[] torch = f.get("warmup_cosine").toDoubleArray();
            for (int step = 0; step < torch.length; step++) {
                assertEquals(torch[step], schedule.at(step), 1e-12 * c[0], "step " + step);
            }
            assertEquals(c[0] / c[1], schedule.at(0), 1e-15, "the first step already moves, at base / warmup");
            assertEquals(c[3], schedule.at(10 * (long) c[2]), 0, "past the end it stays at end");
        }
    }

    /** With no warm-up it is the peer script's schedule, torch's CosineAnnealingLR(T_max = total, eta_min = end). */
    @Test
    void noWarmupIsCosineAnnealingLr() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_schedule");
            double[] c = f.get("config").toDoubleArray();
            LearningRateSchedule schedule = new LearningRateSchedule.WarmupCosine(c[0], 0, (long) c[2], c[3]);
            double[] torch = f.get("cosine").toDoubleArray();
            for (int step = 0; step < torch.length; step++) {
                assertEquals(torch[step], schedule.at(step), 1e-12 * c[0], "step " + step);
            }
        }
    }

    /** A pure function of the step: asking again, or out of order as a resumed run does, gives the same rate. */
    @Test
    void pureFunctionOfTheStep() {
        LearningRateSchedule schedule = new LearningRateSchedule.WarmupCosine(0.1, 5, 100, 0);
        double at37 = schedule.at(37);
        schedule.at(99);
        schedule.at(0);
        assertEquals(at37, schedule.at(37), 0);
        assertEquals(0.25, LearningRateSchedule.constant(0.25).at(12345), 0);
    }
}
