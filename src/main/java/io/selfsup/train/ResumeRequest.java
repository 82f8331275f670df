package io.selfsup.train;

import io.selfsup.engine.DeviceMode;
import io.selfsup.method.Method;
import io.selfsup.method.MethodSettings;
import io.selfsup.method.Methods;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * ssl-train --resume: the run to continue and the options given with it. Options that only say how to run
 * (epochs, threads, device, GPUs, where the data now lies) may change and are recorded in config.json; options
 * that define the run (method, network, batch, optimizer, seed, images) must agree with it.
 *
 * @param epochs threads device maxGpus data: null keeps the run's
 * @param fixed the run-defining options given, by option name, as {@link #FIXED} reads them from a config
 */
public record ResumeRequest(Path run, Integer epochs, Integer threads, DeviceMode device, Integer maxGpus, Path data,
                            Map<String, Object> fixed) {

    /** The options that change a setting of every view's augmentation recipe (ssl-train's). */
    public static final List<String> AUGMENTATION_OPTIONS = List.of("--crop-scale", "--flip-prob", "--brightness",
            "--contrast", "--saturation", "--hue", "--jitter-prob", "--gray-prob", "--solarize-prob", "--blur-prob");

    /** Each run-defining option and how to read its value from a run's config. */
    public static final Map<String, Function<TrainConfig, Object>> FIXED = fixedOptions();

    public ResumeRequest {
        fixed = Map.copyOf(fixed);
    }

    /** A resume with nothing but (optionally) a new epoch count. */
    public static ResumeRequest of(Path run, Integer epochs) {
        return new ResumeRequest(run, epochs, null, null, null, null, Map.of());
    }

    private static Map<String, Function<TrainConfig, Object>> fixedOptions() {
        Map<String, Function<TrainConfig, Object>> m = new LinkedHashMap<>();
        m.put("--method", c -> c.method().method());
        m.put("--backbone", c -> c.method().backbone());
        m.put("--width", c -> c.method().width());
        m.put("--stem", c -> c.method().stem());
        m.put("--image-size", c -> c.method().imageSize());
        m.put("--batch-size", TrainConfig::batchSize);
        m.put("--seed", TrainConfig::seed);
        m.put("--limit", TrainConfig::limit);
        m.put("--test-fraction", c -> c.data().testFraction());
        m.put("--optimizer", c -> c.optimizer().type());
        m.put("--lr", c -> c.optimizer().learningRate());
        m.put("--momentum", c -> c.optimizer().momentum());
        m.put("--weight-decay", c -> c.optimizer().weightDecay());
        m.put("--lars-eta", c -> c.optimizer().larsEta());
        m.put("--warmup-epochs", c -> c.optimizer().warmupEpochs());
        m.put("--lr-schedule", c -> c.optimizer().scheduleKind());
        m.put("--time-budget", c -> c.timeBudget() == null ? null : c.timeBudget().time());
        // every setting of every registered method: a new method's settings are held fixed with no edit here
        for (Method method : Methods.all()) {
            for (MethodSettings.Info setting : MethodSettings.of(method.defaultSettings().getClass())) {
                m.putIfAbsent(setting.option(), c -> MethodSettings.get(c.method().settings(), setting.name()));
            }
        }
        // the global recipes only: the local views are held by their own options, and a local recipe is the first
        // global one with the local crop, so equal global recipes and local options give equal local views
        for (String augmentation : AUGMENTATION_OPTIONS) {
            m.put(augmentation, c -> c.method().views().resolvedGlobal());
        }
        m.put("--local-crops", c -> c.method().views().localCount());
        m.put("--local-crop-size", c -> c.method().views().localSize());
        m.put("--local-crop-scale", c -> c.method().views().local() == null ? null
                : c.method().views().local().cropScaleMin() + "," + c.method().views().local().cropScaleMax());
        return Map.copyOf(m);
    }

    /** The given options that disagree with the run, each as "--batch-size 128 (the run has 64)". */
    public List<String> contradictions(TrainConfig saved) {
        List<String> found = new ArrayList<>();
        for (String option : FIXED.keySet().stream().sorted().toList()) {
            if (!fixed.containsKey(option)) {
                continue;
            }
            Object asked = fixed.get(option);
            Object has = FIXED.get(option).apply(saved);
            if (!Objects.equals(asked, has)) {
                found.add(asked instanceof List ? option + " (the run's augmentations differ)"
                        : option + " " + text(asked) + " (the run has " + text(has) + ")");
            }
        }
        return found;
    }

    /** The run's config with the options that may change replaced. */
    public TrainConfig applyTo(TrainConfig saved) {
        TrainConfig c = saved;
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (data != null) {
            c = c.withData(data);
        }
        return c.withRuntime(device != null ? device : c.device(), maxGpus != null ? maxGpus : c.maxGpus(),
                threads != null ? threads : c.threads());
    }

    private static String text(Object value) {
        if (value instanceof java.time.Duration d) {
            return io.selfsup.config.TimeBudget.format(d);
        }
        return value instanceof Method method ? method.id() : value == null ? "none" : String.valueOf(value);
    }
}
