package io.selfsup.cli;

import io.selfsup.config.RunConfig;
import io.selfsup.config.TimeBudget;
import io.selfsup.method.Method;
import io.selfsup.method.Methods;
import io.selfsup.run.RunDirectory;
import io.selfsup.train.LaunchClock;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.ResumeRequest;
import io.selfsup.train.TrainingControl;
import io.selfsup.train.TrainingSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** ssl-train: trains a method (the article's autoencoder, SimCLR, BYOL or MoCo) and writes a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = "Learns visual features from unlabeled images (CIFAR-10 or your own) with the article's "
                + "autoencoder, SimCLR, BYOL or MoCo, and writes a run directory (config.json, metrics.csv, a checkpoint "
                + "per epoch, model.params).")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    DataOption data;

    @Option(names = "--epochs", description = "Epochs (default: 10; with --resume: the run's own count).")
    Integer epochs;

    @Option(names = "--time-budget", paramLabel = "TIME", converter = BudgetConverter.class,
            description = "Train for as many steps as fit TIME (e.g. 30m, 90s, 1h30m) from launch to the last line, "
                    + "instead of a number of epochs: the step time is measured at the start, the steps are fixed "
                    + "and recorded (so --resume is exact), warm-up and cosine are laid over them, and the run may "
                    + "end within an epoch.")
    Duration timeBudget;

    @Mixin
    MethodOptions method;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization and shuffling.")
    long seed;

    @Option(names = "--limit", defaultValue = "0", description = "Train on the first N images only (0: all).")
    int limit;

    @Mixin
    DeviceOption device;

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
            + "its newest intact checkpoint, at an epoch's end or within one, with the options it was started with; "
            + "--epochs N trains it further, --threads, --device and --max-gpus may change.")
    Path resume;

    @Option(names = "--checkpoint-every", paramLabel = "MINUTES", defaultValue = "10",
            description = "Also write a checkpoint within an epoch every MINUTES, so a crash loses little "
                    + "(0: only at epoch ends; default: ${DEFAULT-VALUE}). Ctrl-C always writes one.")
    double checkpointEvery;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    /** --time-budget's text as a duration, with TimeBudget's one-line message when it is not one. */
    static final class BudgetConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return TimeBudget.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        if (epochs != null && timeBudget != null) {
            throw new ParameterException(spec.commandLine(), "give --epochs or --time-budget, not both: a budget "
                    + "trains as many steps as fit its time");
        }
        if (!(checkpointEvery >= 0) || Double.isInfinite(checkpointEvery)) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-every must be 0 (off) or a number of "
                    + "minutes, got " + checkpointEvery);
        }
        try (StopOnSignal stop = StopOnSignal.install(System.err)) {
            TrainingControl control = TrainingControl.defaults().withStop(stop::requested)
                    .withLaunched(LaunchClock.processStart())
                    .withOnTrainingStarted(stop::trainingStarted)
                    .withCheckpointEvery(Duration.ofMillis(Math.round(checkpointEvery * 60_000)));
            TrainingSession.Outcome outcome = resume != null ? resume(control) : start(control);
            System.out.println("Run written to " + outcome.run().path());
        }
        return 0;
    }

    /** The article's run: the method when --method is not given. */
    static final String DEFAULT_METHOD = "autoencoder";

    /** Adds the registered methods' settings as options (called where the command line is built). */
    static void addMethodSettings(CommandLine train) {
        MethodSettingOptions.addTo(train.getCommandSpec());
    }

    private TrainingSession.Outcome start(TrainingControl control) {
        return TrainingSession.run(config(Methods.get(DEFAULT_METHOD), output, initFrom), control,
                r -> System.out.println(r.consoleLine()));
    }

    /** The run the given options describe, {@code fallback} being the method when --method is not given. */
    private TrainConfig config(Method fallback, Path out, Path init) {
        CommandLine train = spec.commandLine();
        // a budget's epochs are what its measured steps span; 1 stands for them until then
        int runEpochs = timeBudget != null ? 1 : epochs == null ? 10 : epochs;
        return new TrainConfig(data.spec(seed), out, Path.of("runs"), runEpochs,
                method.batchSize(fallback), seed, limit, device.device, maxGpus, threads,
                method.methodConfig(train, fallback), method.optimizerConfig(fallback, timeBudget != null ? 0 : runEpochs),
                init,
                timeBudget == null ? null : TimeBudget.of(timeBudget), method.imageSizeFromData());
    }

    private TrainingSession.Outcome resume(TrainingControl control) {
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed.hasMatchedOption("--output")) {
            throw new ParameterException(spec.commandLine(), "--resume writes into the run it continues; leave out "
                    + "--output");
        }
        if (initFrom != null) {
            throw new ParameterException(spec.commandLine(), "--resume continues from the run's own checkpoint; "
                    + "leave out --init-from");
        }
        Map<String, Object> fixed = new LinkedHashMap<>();
        if (ResumeRequest.FIXED.keySet().stream().anyMatch(parsed::hasMatchedOption)) {
            // the run the given options would start on top of the run's own method, compared option by option
            RunDirectory run = RunDirectory.open(resume);
            Method runs = RunConfig.fromMap(run.readConfig(), run.path().resolve(RunDirectory.CONFIG)).method().method();
            TrainConfig asked = config(runs, null, null);
            ResumeRequest.FIXED.forEach((option, read) -> {
                if (parsed.hasMatchedOption(option)) {
                    fixed.put(option, read.apply(asked));
                }
            });
        }
        ResumeRequest request = new ResumeRequest(resume, epochs,
                parsed.hasMatchedOption("--threads") ? threads : null,
                parsed.hasMatchedOption("--device") ? device.device : null,
                parsed.hasMatchedOption("--max-gpus") ? maxGpus : null, data.path, fixed);
        return TrainingSession.resume(request, control, r -> System.out.println(r.consoleLine()));
    }
}
