package io.selfsup.cli;

import io.selfsup.train.DeviceMode;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.TrainingSession;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** ssl-train: trains the autoencoder and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains the convolutional autoencoder (CIFAR-10 or your images) and writes a run directory "
                + "(config.json, metrics.csv, a checkpoint per epoch, model.params).")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Option(names = "--epochs", description = "Epochs (default: 10; with --resume: the run's own count).")
    Integer epochs;

    @Option(names = "--batch-size", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization and shuffling.")
    long seed;

    @Option(names = "--limit", defaultValue = "0", description = "Train on the first N images only (0: all).")
    int limit;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            converter = EnumConverters.DeviceModeConverter.class,
            description = "auto: CUDA when DJL sees a GPU, else CPU (default: ${DEFAULT-VALUE}).")
    DeviceMode device;

    @Option(names = "--max-gpus", defaultValue = "0",
            description = "Use at most N GPUs, data-parallel (0: all that DJL sees).")
    int maxGpus;

    @Option(names = "--threads", defaultValue = "0",
            description = "Intra-op CPU threads of the engine (0: one per core, the measured best).")
    int threads;

    @Option(names = "--output", paramLabel = "DIR", description = "Run directory to create "
            + "(default: runs/<timestamp>, with runs/last pointing at it).")
    Path output;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (e.g. runs/last) from "
            + "its newest checkpoint, with the options it was started with; --epochs N trains it further.")
    Path resume;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        TrainingSession.Outcome outcome;
        if (resume != null) {
            outcome = TrainingSession.resume(resume, epochs, r -> System.out.println(r.consoleLine()));
        } else {
            TrainConfig config = new TrainConfig(data.path, output, Path.of("runs"), epochs == null ? 10 : epochs,
                    batchSize, lr, seed, limit, device, maxGpus, threads);
            outcome = TrainingSession.run(config, r -> System.out.println(r.consoleLine()));
        }
        System.out.println("Run written to " + outcome.run().path());
        return 0;
    }
}
