package io.selfsup.optim;

import ai.djl.training.optimizer.Optimizer;
import io.selfsup.SelfsupException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The optimizer and its learning-rate schedule; written to config.json as "optimizer".
 *
 * @param learningRate the peak rate (after warm-up)
 * @param momentum SGD's momentum (unused by Adam)
 * @param weightDecay L2 added to the gradient, as torch.optim.SGD's weight_decay (SGD and LARS)
 * @param larsEta LARS's trust coefficient (LARS only, 0 otherwise)
 * @param warmupEpochs epochs of linear warm-up, may be fractional
 * @param cosine decay to 0 on a cosine over the run (per step), else constant after warm-up
 */
public record OptimizerConfig(Type type, float learningRate, float momentum, float weightDecay, float larsEta,
                              float warmupEpochs, boolean cosine) {

    /** The optimizers on offer, each exactly as PyTorch (LARS: solo-learn's PyTorch LARS) computes it. */
    public enum Type {
        ADAM, SGD, LARS;

        /** The id, so that picocli's messages name values as users type them. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the learning rate does after warm-up. */
    public enum Schedule {
        /** Cosine decay to 0 over the run, per step. */
        COSINE,
        /** Constant at the peak rate. */
        CONSTANT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OptimizerConfig {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new SelfsupException("the learning rate must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new SelfsupException("SGD momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new SelfsupException("weight decay must be 0 or more, got " + weightDecay);
        }
        if (type == Type.LARS ? !(larsEta > 0 && larsEta < 1) : larsEta != 0) {
            throw new SelfsupException(type == Type.LARS ? "the LARS trust coefficient (eta) must be in (0, 1), got "
                    + larsEta : "a trust coefficient (eta) applies to LARS only");
        }
        if (type == Type.ADAM && weightDecay != 0) {
            throw new SelfsupException("weight decay applies to SGD; Adam here is torch.optim.Adam "
                    + "without decay");
        }
        if (!(warmupEpochs >= 0) || Float.isInfinite(warmupEpochs)) {
            throw new SelfsupException("the warm-up must be 0 or more epochs, got " + warmupEpochs);
        }
    }

    /** This optimizer with a peak learning rate of {@code value}. */
    public OptimizerConfig withLearningRate(float value) {
        return new OptimizerConfig(type, value, momentum, weightDecay, larsEta, warmupEpochs, cosine);
    }

    /** This optimizer with a linear warm-up of {@code value} epochs. */
    public OptimizerConfig withWarmupEpochs(float value) {
        return new OptimizerConfig(type, learningRate, momentum, weightDecay, larsEta, value, cosine);
    }

    /**
     * Each optimizer's recipe. Adam: the article's 1e-3, constant. SGD: momentum 0.9, learning rate
     * 0.06 x batch / 128, weight decay 5e-4, cosine decay per step, no warm-up: lightly's CIFAR-10 benchmark and
     * ../shared/peer/simclr_cifar.py. LARS: solo-learn's CIFAR VICReg recipe, learning rate 0.3 x batch / 256,
     * momentum 0.9, weight decay 1e-4, eta 0.02, cosine per step.
     */
    public static OptimizerConfig defaults(Type type, int batchSize) {
        int batch = Math.max(1, batchSize);
        return switch (type) {
            case ADAM -> new OptimizerConfig(Type.ADAM, 1e-3f, 0f, 0f, 0f, 0f, false);
            case SGD -> new OptimizerConfig(Type.SGD, 0.06f * batch / 128, 0.9f, 5e-4f, 0f, 0f, true);
            case LARS -> new OptimizerConfig(Type.LARS, 0.3f * batch / 256, 0.9f, 1e-4f, 0.02f, 0f, true);
        };
    }

    /** The schedule after warm-up. */
    public Schedule scheduleKind() {
        return cosine ? Schedule.COSINE : Schedule.CONSTANT;
    }

    /** The optimizer, ready for DJL's trainer; its learning rate is set per step from {@link #schedule}. */
    public Optimizer create() {
        return switch (type) {
            case ADAM -> TorchAdam.builder().optLearningRate(learningRate).build();
            case SGD -> TorchSgd.builder().optLearningRate(learningRate).optMomentum(momentum)
                    .optWeightDecay(weightDecay).build();
            case LARS -> TorchSgd.builder().optLearningRate(learningRate).optMomentum(momentum)
                    .optWeightDecay(weightDecay).optLars(larsEta).build();
        };
    }

    /** The rate at each global step of a run of {@code totalSteps} steps, {@code stepsPerEpoch} an epoch. */
    public LearningRateSchedule schedule(long stepsPerEpoch, long totalSteps) {
        long warmup = Math.round((double) warmupEpochs * stepsPerEpoch);
        if (!cosine && warmup == 0) {
            return LearningRateSchedule.constant(learningRate);
        }
        return new LearningRateSchedule.WarmupCosine(learningRate, warmup, cosine ? totalSteps : Long.MAX_VALUE, cosine ? 0 : learningRate);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", type.name().toLowerCase(Locale.ROOT));
        m.put("lr", learningRate);
        if (type == Type.ADAM) {
            m.put("betas", java.util.List.of(0.9, 0.999));
            m.put("eps", 1e-8);
        } else {
            m.put("momentum", momentum);
            m.put("weight_decay", weightDecay);
        }
        if (type == Type.LARS) {
            m.put("eta", larsEta);
            m.put("clip_lars_lr", true);
            m.put("exclude_bias_n_norm", true);
        }
        m.put("warmup_epochs", warmupEpochs);
        m.put("schedule", cosine ? "cosine to 0 per step" : "constant");
        return m;
    }

    /** The config a run recorded; runs written before SGD existed used Adam at their --lr. */
    public static OptimizerConfig fromMap(Map<String, Object> m, float legacyLearningRate) {
        if (m == null || !m.containsKey("warmup_epochs")) {
            return new OptimizerConfig(Type.ADAM, legacyLearningRate, 0f, 0f, 0f, 0f, false);
        }
        Type type = Type.valueOf(m.get("name").toString().toUpperCase(Locale.ROOT));
        boolean sgdLike = type != Type.ADAM;
        return new OptimizerConfig(type, number(m, "lr"), sgdLike ? number(m, "momentum") : 0f,
                sgdLike ? number(m, "weight_decay") : 0f, type == Type.LARS ? number(m, "eta") : 0f,
                number(m, "warmup_epochs"),
                m.get("schedule").toString().startsWith("cosine"));
    }

    private static float number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new SelfsupException("config.json's optimizer '" + key + "' is missing or not a number");
        }
        return n.floatValue();
    }
}
