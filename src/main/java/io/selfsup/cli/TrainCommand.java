package io.selfsup.cli;

import io.selfsup.engine.DeviceMode;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.TrainingSession;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** ssl-train: trains a method (the article's autoencoder, SimCLR or BYOL) and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Learns visual features from unlabeled images (CIFAR-10 or your own) with the article's "
                + "autoencoder, SimCLR or BYOL, and writes a run directory (config.json, metrics.csv, a checkpoint "
                + "per epoch, model.params).")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Option(names = "--epochs", description = "Epochs (default: 10; with --resume: the run's own count).")
    Integer epochs;

    @Mixin
    MethodOptions method;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization and shuffling.")
    long seed;

    @Option(names = "--limit", defaultValue = "0", description = "Train on the first N images only (0: all).")
    int limit;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            converter = EnumConverters.DeviceModeConverter.class,
            description = DeviceOption.DESCRIPTION)
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

    @Option(names = "--init-from", paramLabel = "FILE", description = "Start from the weights in FILE (.safetensors "
            + "or .npz, written by ssl-export or PyTorch): the backbone alone or the whole network; the ResNet width "
            + "comes from the file unless --width is given. With --epochs 0 the imported weights become a run for "
            + "ssl-encode and ssl-eval.")
    Path initFrom;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (e.g. runs/last) from "
            + "its newest checkpoint, with the options it was started with; --epochs N trains it further.")
    Path resume;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        TrainingSession.Outcome outcome;
        if (resume != null) {
            if (method.anyGiven() || initFrom != null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--resume continues "
                        + "a run with the method and optimizer it was started with; leave out --method, --backbone, "
                        + "--batch-size, --lr, --init-from and the other training options");
            }
            outcome = TrainingSession.resume(resume, epochs, r -> System.out.println(r.consoleLine()));
        } else {
            TrainConfig config = new TrainConfig(data.spec(seed), output, Path.of("runs"), epochs == null ? 10 : epochs,
                    method.batchSize(), seed, limit, device, maxGpus, threads, method.methodConfig(),
                    method.optimizerConfig(), initFrom);
            outcome = TrainingSession.run(config, r -> System.out.println(r.consoleLine()));
        }
        System.out.println("Run written to " + outcome.run().path());
        return 0;
    }
}
