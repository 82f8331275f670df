package io.selfsup.optim;

/**
 * A learning rate as a pure function of the global optimizer step (0 for the first step). Nothing is stepped or
 * accumulated, so a run resumed at step s gets exactly the rates an uninterrupted run would: only the step count
 * has to be saved.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    double at(long step);

    static LearningRateSchedule constant(double learningRate) {
        return step -> learningRate;
    }

    /**
     * Linear warm-up, then cosine decay, per step, as solo-learn and lightly schedule SimCLR and BYOL.
     * For step s &lt; warmupSteps: base * (s + 1) / warmupSteps (lightly's warm-up: the first step already moves,
     * at base / warmupSteps, and step warmupSteps - 1 reaches base). From warmupSteps on:
     * end + (base - end) * (1 + cos(pi * (s - warmupSteps) / (totalSteps - warmupSteps))) / 2, reaching {@code end}
     * at totalSteps and staying there after. With warmupSteps 0 this is torch's CosineAnnealingLR(T_max = totalSteps,
     * eta_min = end), the peer script's schedule; with warm-up, torch's SequentialLR of LinearLR(1 / warmupSteps,
     * over warmupSteps - 1 steps) and CosineAnnealingLR(T_max = totalSteps - warmupSteps, eta_min = end).
     */
    record WarmupCosine(double base, long warmupSteps, long totalSteps, double end) implements LearningRateSchedule {

        public WarmupCosine {
            if (warmupSteps < 0 || totalSteps <= warmupSteps) {
                throw new IllegalArgumentException("need 0 <= warmupSteps < totalSteps, got " + warmupSteps
                        + " and " + totalSteps);
            }
        }

        @Override
        public double at(long step) {
            if (step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
            return end + (base - end) * (1 + Math.cos(Math.PI * progress)) / 2;
        }
    }
}
