package io.selfsup.train;

import io.selfsup.SelfsupException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a training run is asked to do; immutable, written to the run's config.json.
 *
 * @param data --data, or null for CIFAR-10 through DJL's download
 * @param output --output run directory, or null for runsRoot/timestamp
 * @param runsRoot where default run directories go, and where the "last" link lives
 * @param limit train on the first this-many images; 0 means all
 * @param maxGpus at most this many GPUs; 0 means all that DJL sees
 * @param threads intra-op threads of the engine; 0 means the measured default
 */
public record TrainConfig(Path data, Path output, Path runsRoot, int epochs, int batchSize, float learningRate,
                          long seed, int limit, DeviceMode device, int maxGpus, int threads) {

    public TrainConfig {
        if (epochs < 1) {
            throw new SelfsupException("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new SelfsupException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new SelfsupException("--lr must be a positive number, got " + learningRate);
        }
        if (limit < 0) {
            throw new SelfsupException("--limit must be 0 (all) or more, got " + limit);
        }
        if (threads < 0) {
            throw new SelfsupException("--threads must be 0 (default) or more, got " + threads);
        }
    }

    /** The seed article's settings: 10 epochs, batch 64, Adam 1e-3, on CIFAR-10 through DJL, auto device. */
    public static TrainConfig defaults() {
        return new TrainConfig(null, null, Path.of("runs"), 10, 64, 1e-3f, 0, 0, DeviceMode.AUTO, 0, 0);
    }

    /** The config a run was started with, from its config.json options, writing into {@code runDir}. */
    public static TrainConfig fromOptions(Map<String, Object> o, Path runDir) {
        try {
            Object data = o.get("data");
            return new TrainConfig(data == null ? null : Path.of(data.toString()), runDir, Path.of("runs"),
                    number(o, "epochs").intValue(), number(o, "batch_size").intValue(),
                    number(o, "lr").floatValue(), number(o, "seed").longValue(), number(o, "limit").intValue(),
                    DeviceMode.valueOf(o.get("device").toString().toUpperCase(Locale.ROOT)),
                    number(o, "max_gpus").intValue(), number(o, "threads").intValue());
        } catch (RuntimeException e) {
            if (e instanceof SelfsupException se) {
                throw se;
            }
            throw new SelfsupException("the options in " + runDir + "/config.json are incomplete (" + e
                    + "); the run cannot be resumed", e);
        }
    }

    private static Number number(Map<String, Object> options, String key) {
        Object value = options.get(key);
        if (!(value instanceof Number n)) {
            throw new SelfsupException("config.json option '" + key + "' is missing or not a number");
        }
        return n;
    }

    public TrainConfig withData(Path value) {
        return new TrainConfig(value, output, runsRoot, epochs, batchSize, learningRate, seed, limit, device,
                maxGpus, threads);
    }

    public TrainConfig withOutput(Path value) {
        return new TrainConfig(data, value, runsRoot, epochs, batchSize, learningRate, seed, limit, device,
                maxGpus, threads);
    }

    public TrainConfig withEpochs(int value) {
        return new TrainConfig(data, output, runsRoot, value, batchSize, learningRate, seed, limit, device,
                maxGpus, threads);
    }
}
