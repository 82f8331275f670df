package io.selfsup.train;

import io.selfsup.optim.OptimizerConfig;
import io.selfsup.data.DataSpec;
import io.selfsup.engine.DeviceMode;
import io.selfsup.method.MethodConfig;
import java.nio.file.Path;

/**
 * A {@link TrainConfig} for tests, named setting by setting instead of by thirteen positions. It starts as a
 * tiny run that takes seconds on a CPU: the autoencoder on the first 64 images of the bundled subset, batch 32,
 * one epoch, seed 0, on the CPU whatever the machine has (so a test gives the same numbers everywhere).
 */
public final class TrainConfigBuilder {

    public static final Path MINI = Path.of("data", "cifar10-mini");

    private DataSpec data = DataSpec.of(MINI);
    private Path output;
    private Path runsRoot;
    private int epochs = 1;
    private int batchSize = 32;
    private long seed;
    private int limit = 64;
    private DeviceMode device = DeviceMode.CPU;
    private int maxGpus;
    private int threads;
    private MethodConfig method = TrainConfig.defaults().method();
    private OptimizerConfig optimizer;
    private Path initFrom;
    private io.selfsup.config.TimeBudget timeBudget;

    private TrainConfigBuilder() {}

    /** The tiny run described above; each setter changes one setting. */
    public static TrainConfigBuilder tinyRun() {
        return new TrainConfigBuilder();
    }

    public TrainConfigBuilder data(Path value) {
        data = DataSpec.of(value);
        return this;
    }

    public TrainConfigBuilder data(DataSpec value) {
        data = value;
        return this;
    }

    /** The run directory (default: none, a timestamped folder under {@link #runsRoot}). */
    public TrainConfigBuilder output(Path value) {
        output = value;
        return this;
    }

    public TrainConfigBuilder runsRoot(Path value) {
        runsRoot = value;
        return this;
    }

    public TrainConfigBuilder epochs(int value) {
        epochs = value;
        return this;
    }

    public TrainConfigBuilder batchSize(int value) {
        batchSize = value;
        return this;
    }

    public TrainConfigBuilder seed(long value) {
        seed = value;
        return this;
    }

    /** Train on the first this-many images; 0 means all of them. */
    public TrainConfigBuilder limit(int value) {
        limit = value;
        return this;
    }

    public TrainConfigBuilder device(DeviceMode value) {
        device = value;
        return this;
    }

    public TrainConfigBuilder maxGpus(int value) {
        maxGpus = value;
        return this;
    }

    public TrainConfigBuilder threads(int value) {
        threads = value;
        return this;
    }

    public TrainConfigBuilder method(MethodConfig value) {
        method = value;
        return this;
    }

    /** The optimizer; without one, the method's own recipe at this batch size, as ssl-train picks it. */
    public TrainConfigBuilder optimizer(OptimizerConfig value) {
        optimizer = value;
        return this;
    }

    public TrainConfigBuilder initFrom(Path value) {
        initFrom = value;
        return this;
    }

    public TrainConfigBuilder timeBudget(io.selfsup.config.TimeBudget value) {
        this.timeBudget = value;
        return this;
    }

    /** The config, checked by {@link TrainConfig}'s own constructor as ssl-train's would be. */
    public TrainConfig build() {
        OptimizerConfig chosen = optimizer != null ? optimizer : OptimizerConfig.defaults(method.method().defaultOptimizer(), batchSize);
        return new TrainConfig(data, output, runsRoot, epochs, batchSize, seed, limit, device, maxGpus, threads, method,
                chosen, initFrom, timeBudget, false);
    }
}
