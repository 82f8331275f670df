package io.selfsup.train;

import io.selfsup.Limits;
import io.selfsup.SelfsupException;
import io.selfsup.config.RunConfig;
import io.selfsup.config.TimeBudget;
import io.selfsup.data.DataSpec;
import io.selfsup.engine.DeviceMode;
import io.selfsup.method.MethodConfig;
import io.selfsup.optim.OptimizerConfig;
import java.nio.file.Path;

/**
 * Everything a training run is asked to do; immutable, written to the run's config.json.
 *
 * @param data --data (a null path: CIFAR-10 through DJL's download), the test split of folders, the pixel cache
 * @param output --output run directory, or null for runsRoot/timestamp
 * @param runsRoot where default run directories go, and where the "last" link lives
 * @param limit train on the first this-many images; 0 means all
 * @param maxGpus at most this many GPUs; 0 means all that DJL sees
 * @param threads intra-op threads of the engine; 0 means the measured default
 * @param method the pretext task and its networks (a ResNet width of 0 is chosen by device at start)
 * @param initFrom a state_dict file (.safetensors or .npz) the network starts from, or null for a fresh one
 * @param timeBudget null: the run is {@code epochs} epochs long; else it is as many steps as fit the budget, and
 *     {@code epochs} is the number of epochs they span once measured (any positive number before)
 * @param imageSizeFromData whether the image size is still to be chosen from the data and the device at start
 *     ({@link io.selfsup.data.ImageSizes}); else it is the method's; {@code data} always asks for the method's
 */
public record TrainConfig(DataSpec data, Path output, Path runsRoot, int epochs, int batchSize, long seed, int limit,
                          DeviceMode device, int maxGpus, int threads, MethodConfig method,
                          OptimizerConfig optimizer, Path initFrom, TimeBudget timeBudget, boolean imageSizeFromData) {

    public TrainConfig {
        data = data.withImageSize(method.imageSize());
        // zero epochs with --init-from turns imported weights into a run that ssl-encode and ssl-eval read
        if (epochs < 1 && !(epochs == 0 && initFrom != null)) {
            throw new SelfsupException("the number of epochs must be at least 1 (0 only when starting from imported weights), got " + epochs);
        }
        if (batchSize < 1 || batchSize > Limits.BATCH_SIZE) {
            throw new SelfsupException("the batch size must be between 1 and " + Limits.BATCH_SIZE + ", got " + batchSize);
        }
        if (batchSize < method.method().minBatchSize()) {
            throw new SelfsupException("the batch size must be at least " + method.method().minBatchSize() + " for "
                    + method.id() + ", whose objective compares images of a batch");
        }
        if (timeBudget != null && initFrom != null && epochs == 0) {
            throw new SelfsupException("a time budget trains; a run of imported weights alone takes no budget");
        }
        if (timeBudget == null && epochs > 0 && optimizer.warmupEpochs() > 0 && optimizer.warmupEpochs() >= epochs) {
            throw new SelfsupException("the warm-up (" + optimizer.warmupEpochs() + " epochs) must be shorter than the run ("
                    + epochs + " epochs)");
        }
        if (limit < 0) {
            throw new SelfsupException("the image limit must be 0 (all) or more, got " + limit);
        }
        if (maxGpus < 0) {
            throw new SelfsupException("the number of GPUs must be 0 (all) or more, got " + maxGpus);
        }
        if (threads < 0 || threads > Limits.THREADS) {
            throw new SelfsupException("the number of threads must be between 0 (default) and " + Limits.THREADS
                    + ", got " + threads);
        }
    }

    /** The seed article's settings: 10 epochs, batch 64, Adam 1e-3, on CIFAR-10 through DJL, auto device. */
    public static TrainConfig defaults() {
        MethodConfig autoencoder = MethodConfig.defaults("autoencoder", io.selfsup.nn.BackboneType.CONV2, 0);
        int batch = autoencoder.method().defaultBatchSize();
        return new TrainConfig(DataSpec.of(null), null, Path.of("runs"), 10, batch, 0, 0, DeviceMode.AUTO, 0, 0,
                autoencoder, OptimizerConfig.defaults(autoencoder.method().defaultOptimizer(), batch), null, null, false);
    }

    /** The config a run was started with, from its config.json, writing into {@code runDir}. */
    public static TrainConfig fromRun(RunConfig run, Path runDir) {
        RunConfig.Options o = run.options();
        return new TrainConfig(run.data(DataSpec.defaultCacheDir()), runDir, Path.of("runs"), o.epochs(),
                o.batchSize(), o.seed(), o.limit(), o.device(), o.maxGpus(), o.threads(), run.method(),
                run.optimizer(), o.initFrom(), o.timeBudget(), false);
    }

    public TrainConfig withData(Path value) {
        return new TrainConfig(data.withPath(value), output, runsRoot, epochs, batchSize, seed, limit, device, maxGpus, threads,
                method, optimizer, initFrom, timeBudget, imageSizeFromData);
    }

    public TrainConfig withOutput(Path value) {
        return new TrainConfig(data, value, runsRoot, epochs, batchSize, seed, limit, device, maxGpus, threads,
                method, optimizer, initFrom, timeBudget, imageSizeFromData);
    }

    public TrainConfig withEpochs(int value) {
        return new TrainConfig(data, output, runsRoot, value, batchSize, seed, limit, device, maxGpus, threads,
                method, optimizer, initFrom, timeBudget, imageSizeFromData);
    }

    /** This run at the image size {@code value}, chosen: no longer from the data. */
    public TrainConfig withImageSize(int value) {
        return new TrainConfig(data, output, runsRoot, epochs, batchSize, seed, limit, device, maxGpus, threads,
                method.withImageSize(value), optimizer, initFrom, timeBudget, false);
    }

    public TrainConfig withOptimizer(OptimizerConfig value) {
        return new TrainConfig(data, output, runsRoot, epochs, batchSize, seed, limit, device, maxGpus, threads,
                method, value, initFrom, timeBudget, imageSizeFromData);
    }

    public TrainConfig withMethod(MethodConfig value) {
        return new TrainConfig(data, output, runsRoot, epochs, batchSize, seed, limit, device, maxGpus, threads,
                value, optimizer, initFrom, timeBudget, imageSizeFromData);
    }

    /** A budgeted run whose steps were measured: {@code budget}'s steps, spanning {@code epochsValue} epochs. */
    public TrainConfig withPlannedBudget(TimeBudget budget, int epochsValue) {
        return new TrainConfig(data, output, runsRoot, epochsValue, batchSize, seed, limit, device, maxGpus, threads,
                method, optimizer, initFrom, budget, imageSizeFromData);
    }

    /** The same run on other hardware: --device, --max-gpus and --threads, which --resume may change. */
    public TrainConfig withRuntime(DeviceMode deviceValue, int maxGpusValue, int threadsValue) {
        return new TrainConfig(data, output, runsRoot, epochs, batchSize, seed, limit, deviceValue, maxGpusValue,
                threadsValue, method, optimizer, initFrom, timeBudget, imageSizeFromData);
    }
}
