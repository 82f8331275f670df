package io.selfsup.config;

import io.selfsup.SelfsupException;
import io.selfsup.data.DataSpec;
import io.selfsup.engine.DeviceMode;
import io.selfsup.method.MethodConfig;
import io.selfsup.optim.OptimizerConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's config.json, typed: the one schema ssl-train writes ({@link #toMap}) and the one parser that --resume,
 * ssl-encode, ssl-eval, ssl-export and the Java predictor read it with ({@link #fromMap}). Runs written by older
 * selfsup versions parse too: without a method section they are the autoencoder, without an optimizer section
 * Adam at their --lr, without a test fraction they held nothing out.
 *
 * @param trainImages the number of training images the run started on, or -1 when not recorded
 * @param initFromSha256 the SHA-256 of the --init-from file, or null
 * @param resumes one entry per --resume (from which checkpoint, when, with which run options)
 * @param facts what the run recorded only for people to read (objective, data source, devices, versions, ...),
 *              in order
 */
public record RunConfig(Options options, MethodConfig method, OptimizerConfig optimizer, int trainImages,
                        String initFromSha256, List<Object> resumes, Map<String, Object> facts) {

    /** config.json's "options": what ssl-train was asked for. */
    public record Options(Path data, double testFraction, String output, int epochs, int batchSize,
                          float learningRate, long seed, int limit, DeviceMode device, int maxGpus, int threads,
                          double checkpointEveryMinutes, Path initFrom, TimeBudget timeBudget) {

        /** The same options with the budget's steps fixed and the epochs they span. */
        public Options withBudget(TimeBudget value, int epochsValue) {
            return new Options(data, testFraction, output, epochsValue, batchSize, learningRate, seed, limit, device,
                    maxGpus, threads, checkpointEveryMinutes, initFrom, value);
        }
    }

    public RunConfig {
        resumes = List.copyOf(resumes);
        facts = new LinkedHashMap<>(facts);
    }

    /** The run's data: its --data, its test split, the seed that chose it and its image size. */
    public DataSpec data(Path cacheDir) {
        return new DataSpec(options.data(), options.testFraction(), options.seed(), cacheDir, method.imageSize());
    }

    /** This record with one more resume entry. */
    /** This record with the options replaced (a time budget's steps fixed). */
    public RunConfig withOptions(Options value) {
        return new RunConfig(value, method, optimizer, trainImages, initFromSha256, resumes, facts);
    }

    /** This record with the optimizer replaced (a method's warm-up fitted to a time budget). */
    public RunConfig withOptimizer(OptimizerConfig value) {
        return new RunConfig(options, method, value, trainImages, initFromSha256, resumes, facts);
    }

    public RunConfig withResume(Map<String, Object> entry) {
        List<Object> all = new ArrayList<>(resumes);
        all.add(entry);
        return new RunConfig(options, method, optimizer, trainImages, initFromSha256, all, facts);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("data", options.data() == null ? null : options.data().toString());
        o.put("test_fraction", options.testFraction());
        o.put("output", options.output());
        o.put("epochs", options.epochs());
        o.put("batch_size", options.batchSize());
        o.put("lr", options.learningRate());
        o.put("seed", options.seed());
        o.put("limit", options.limit());
        o.put("device", options.device().toString());
        o.put("max_gpus", options.maxGpus());
        o.put("threads", options.threads());
        o.put("checkpoint_every_minutes", options.checkpointEveryMinutes());
        o.put("init_from", options.initFrom() == null ? null : options.initFrom().toString());
        if (options.timeBudget() != null) {
            o.put("time_budget", options.timeBudget().toMap());
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", method.id());
        c.put("options", o);
        c.put("method", method.toMap());
        c.put("optimizer", optimizer.toMap());
        c.put("train_images", trainImages);
        c.putAll(facts);
        if (initFromSha256 != null) {
            c.put("init_from_sha256", initFromSha256);
        }
        if (!resumes.isEmpty()) {
            c.put("resumes", resumes);
        }
        return c;
    }

    /** The keys {@link #toMap} writes from typed fields; everything else is a fact. */
    private static final List<String> TYPED = List.of("model", "options", "method", "optimizer", "train_images",
            "init_from_sha256", "resumes");

    @SuppressWarnings("unchecked")
    public static RunConfig fromMap(Map<String, Object> m, Path file) {
        try {
            if (!(m.get("options") instanceof Map<?, ?> raw)) {
                throw new SelfsupException(file + " has no options; it was not written by ssl-train");
            }
            Map<String, Object> o = (Map<String, Object>) raw;
            float lr = o.get("lr") instanceof Number n ? n.floatValue() : 1e-3f;
            Options options = new Options(path(o.get("data")),
                    o.get("test_fraction") instanceof Number f ? f.doubleValue() : 0,
                    o.get("output") == null ? null : o.get("output").toString(),
                    number(o, "epochs").intValue(), number(o, "batch_size").intValue(), lr,
                    number(o, "seed").longValue(), number(o, "limit").intValue(),
                    DeviceMode.valueOf(String.valueOf(o.get("device")).toUpperCase(Locale.ROOT)),
                    number(o, "max_gpus").intValue(), number(o, "threads").intValue(),
                    o.get("checkpoint_every_minutes") instanceof Number n ? n.doubleValue() : 0,
                    path(o.get("init_from")), TimeBudget.fromMap(o.get("time_budget")));
            Map<String, Object> facts = new LinkedHashMap<>(m);
            TYPED.forEach(facts::remove);
            return new RunConfig(options, MethodConfig.fromMap((Map<String, Object>) m.get("method")),
                    OptimizerConfig.fromMap((Map<String, Object>) m.get("optimizer"), lr),
                    m.get("train_images") instanceof Number n ? n.intValue() : -1,
                    m.get("init_from_sha256") == null ? null : m.get("init_from_sha256").toString(),
                    m.get("resumes") instanceof List<?> list ? (List<Object>) list : List.of(), facts);
        } catch (SelfsupException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SelfsupException(file + " is not a config.json ssl-train writes (" + e.getMessage() + ")", e);
        }
    }

    private static Path path(Object value) {
        return value == null ? null : Path.of(value.toString());
    }

    private static Number number(Map<String, Object> options, String key) {
        if (!(options.get(key) instanceof Number n)) {
            throw new SelfsupException("config.json option '" + key + "' is missing or not a number");
        }
        return n;
    }
}
