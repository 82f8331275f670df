package io.selfsup.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.selfsup.files.AtomicFiles;
import io.selfsup.SelfsupException;
import io.selfsup.SelfsupVersion;
import io.selfsup.UsageException;
import io.selfsup.config.RunConfig;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.ImageSizes;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.engine.DeviceSelector;
import io.selfsup.engine.EngineSettings;
import io.selfsup.engine.NativeLibrary;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.MethodSettings;
import io.selfsup.method.PretextMethod;
import io.selfsup.run.EpochResult;
import io.selfsup.predict.ServingProperties;
import io.selfsup.run.Checkpoint;
import io.selfsup.run.RunDirectory;
import io.selfsup.run.RunLock;
import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightFormat;
import io.selfsup.weights.WeightImport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole ssl-train run: read the data, pick devices, create the run directory, train. */
public final class TrainingSession {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);

    private TrainingSession() {}

    /** Outcome of a run: where it was written and its per-epoch figures. */
    public record Outcome(RunDirectory run, List<EpochResult> epochs) {}

    public static Outcome run(TrainConfig config, Consumer<EpochResult> onEpoch) {
        return run(config, TrainingControl.defaults(), onEpoch);
    }

    public static Outcome run(TrainConfig config, TrainingControl control, Consumer<EpochResult> onEpoch) {
        RunDirectory.checkCanCreate(config.output(), config.runsRoot());
        return train(config, null, control, onEpoch);
    }

    /**
     * Continues the run in {@code runDir} from its newest intact checkpoint with the options it was started
     * with; {@code epochs}, when not null, replaces its epoch count (to train further).
     */
    public static Outcome resume(Path runDir, Integer epochs, Consumer<EpochResult> onEpoch) {
        return resume(ResumeRequest.of(runDir, epochs), TrainingControl.defaults(), onEpoch);
    }

    /**
     * Continues a run from its newest intact checkpoint (a damaged one is skipped with a warning), at an
     * epoch's end or within an epoch; options that contradict the run are refused, naming them.
     */
    public static Outcome resume(ResumeRequest request, TrainingControl control, Consumer<EpochResult> onEpoch) {
        RunDirectory run = RunDirectory.open(request.run());
        run.checkWritable();
        RunConfig saved = RunConfig.fromMap(run.readConfig(), run.path().resolve(RunDirectory.CONFIG));
        TrainConfig original = TrainConfig.fromRun(saved, run.path());
        List<String> contradictions = request.contradictions(original);
        if (!contradictions.isEmpty()) {
            throw new UsageException("--resume continues " + run.path() + " as it was started, but "
                    + String.join(", ", contradictions) + "; leave these out (only --epochs, --threads, --device, "
                    + "--max-gpus, --checkpoint-every and --data with the same images may change)");
        }
        if (original.timeBudget() != null && request.epochs() != null) {
            throw new UsageException("--resume: " + run.path() + " trains the steps its time budget fixed; leave out "
                    + "--epochs (a longer run is a new run with a larger --time-budget)");
        }
        TrainConfig config = request.applyTo(original);
        // before anything in the run is removed or written: a second process on the same run is refused here
        try (RunLock lock = RunLock.acquire(run.path(), "ssl-train --resume")) {
            run.removeTemporaryFiles();
            Checkpoint point = run.checkpoints().newestIntact().orElse(null);
            int done = point == null ? 0 : point.state().epochsDone();
            // a run killed after its last checkpoint but before model.params still resumes: it writes its outputs
            boolean outputsMissing = done == config.epochs() && !run.hasFinalModel();
            if (done >= config.epochs() && !outputsMissing) {
                throw new SelfsupException("run " + run.path() + " has already trained " + done + " of "
                        + config.epochs() + " epochs; pass --epochs N with N > " + done + " to train further");
            }
            if (point == null) {
                LOG.warn("run {} has no intact checkpoint yet: it starts again from the first epoch", run.path());
            }
            return train(config, new Resumed(run, point, saved), control, onEpoch);
        }
    }

    /** A run being resumed: where from, and what it recorded when it started. */
    private record Resumed(RunDirectory run, Checkpoint point, RunConfig saved) {

        /** How many training images it was started with (-1: not recorded). */
        int trainImages() {
            return saved.trainImages();
        }
    }

    private static Outcome train(TrainConfig config, Resumed resumed, TrainingControl control,
                                 Consumer<EpochResult> onEpoch) {
        String initDigest = null;
        StateDict weights = null;
        if (resumed == null && config.initFrom() != null) {
            // read before any data: a file of no known backbone fails in a second, and the ResNet width may come
            // from it; its tensors are checked against the network once the settings are fitted to the data
            weights = WeightFormat.read(config.initFrom());
            config = config.withMethod(WeightImport.resolve(config.method(), weights, config.initFrom()));
            initDigest = sha256(config.initFrom());
        }
        int threads = EngineSettings.apply(config.threads());
        Engine engine = Engine.getInstance();
        Device[] devices = DeviceSelector.select(config.device(), config.maxGpus(), engine.getGpuCount());
        ImageStore train;
        ImageStore test;
        String source;
        try (DataSource opened = DataSources.open(config.data())) {
            DataSource data = opened;
            if (config.imageSizeFromData()) {
                config = withImageSizeOfData(config, data, devices[0].isGpu());
                data = opened.atImageSize(config.method().imageSize());
            }
            source = data.describe();
            train = data.load(Split.TRAIN);
            if (config.limit() > 0) {
                train = train.first(config.limit());
            }
            test = data.has(Split.TEST) ? data.load(Split.TEST) : null;
        }
        if (train.size() == 0) {
            throw new SelfsupException("no training images were read from " + source);
        }
        if (resumed != null && resumed.trainImages() >= 0 && resumed.trainImages() != train.size()) {
            throw new UsageException("--resume: " + source + " gives " + train.size() + " training images, the run "
                    + "was started on " + resumed.trainImages() + "; resume with the same data (--data PATH if it "
                    + "moved)");
        }
        MethodConfig method = config.method().resolveWidth(devices[0].isGpu());
        if (method.width() != config.method().width()) {
            LOG.info("--width not given: {} for {} on the {} (on a GPU: {}; pass --width)",
                    method.width(), method.backbone().id(), devices[0].isGpu() ? "GPU" : "CPU",
                    method.backbone().defaultWidth(true));
            config = config.withMethod(method);
        }
        // a resumed run's settings were fitted when it started: fitting them again changes nothing
        MethodConfig fitted = method.fitToData(train.size(), config.batchSize());
        if (!fitted.equals(method)) {
            LOG.info("{} on {} training images in batches of {}: {} (recorded in config.json)", method.id(),
                    train.size(), config.batchSize(), changes(method, fitted));
            method = fitted;
            config = config.withMethod(method);
        }
        if (weights != null) {
            WeightImport.verify(weights, method, config.initFrom());
        }
        PretextMethod pretext = method.create();
        if (devices.length > 1 && !pretext.lossSplitsOverImages()) {
            LOG.warn("{} compares every image of a batch with every other, which a split batch would change: "
                    + "training on {} only", method.id(), devices[0]);
            devices = new Device[] {devices[0]};
        }
        LOG.info("training {} ({}) on {} ({} GPU(s) visible, --device {}), {} intra-op thread(s)",
                method.id(), method.backbone().id() + (method.width() > 0 ? " width " + method.width() : "")
                        + (method.stem() != null ? ", " + method.stem() + " stem" : "") + ", " + method.imageSize()
                        + "x" + method.imageSize() + " images",
                Arrays.toString(devices), engine.getGpuCount(), config.device().name().toLowerCase(), threads);
        LOG.info("{}: {} training images, {} test images", source, train.size(), test == null ? 0 : test.size());
        LOG.info("native library: {}", NativeLibrary.describe(engine));
        String nativeWarning = NativeLibrary.cudaWithoutGpu(engine);
        if (nativeWarning != null) {
            LOG.warn(nativeWarning);
        }

        RunDirectory run = resumed != null ? resumed.run() : RunDirectory.create(config.output(), config.runsRoot());
        // a resumed run is locked by resume(), before it removed anything
        try (RunLock lock = resumed != null ? null : RunLock.acquire(run.path(), "ssl-train")) {
            if (resumed == null) {
                // another ssl-train given the same --output may have written a run there since the check before
                // the data was read
                run.checkHoldsNoRun();
            }
            Checkpoint from = resumed == null ? null : resumed.point();
            String digest = initDigest != null ? initDigest
                    : resumed == null ? null : resumed.saved().initFromSha256();
            RunConfig description = describe(config, pretext, source, train, test, devices, threads, engine,
                    control, digest, resumed == null ? List.of() : resumed.saved().resumes());
            if (resumed != null) {
                description = description.withResume(resume(resumed, config));
                run.writeMetrics(from == null ? List.of() : from.state().metrics());
            }
            run.writeConfig(description.toMap());
            run.writeText(ServingProperties.FILE, ServingProperties.content());
            RunConfig recorded = description;
            List<EpochResult> epochs = new TrainingLoop(config, devices)
                    .onPlanned(planned -> run.writeConfig(recorded.withOptions(recorded.options()
                            .withBudget(planned.timeBudget(), planned.epochs())).withOptimizer(planned.optimizer())
                            .toMap()))
                    .train(train, test, run, from, control, onEpoch);
            return new Outcome(run, epochs);
        }
    }

    /**
     * The config at the image size {@link ImageSizes} chooses for the data's typical image on this device; a backbone
     * that takes one size only (the article's) keeps it.
     */
    private static TrainConfig withImageSizeOfData(TrainConfig config, DataSource data, boolean gpu) {
        if (config.method().backbone().imageSizeProblem(ImageSizes.CPU_DEFAULT) != null) {
            return config.withImageSize(config.method().imageSize());
        }
        int typical = data.typicalSide();
        int size = ImageSizes.choose(typical, gpu);
        if (size != config.method().imageSize()) {
            LOG.info("--image-size not given: {} pixels (the images' typical shorter side is {}; at most {} on a {}, "
                    + "{} on a {}; pass --image-size)", size, typical, gpu ? ImageSizes.GPU_DEFAULT
                    : ImageSizes.CPU_DEFAULT, gpu ? "GPU" : "CPU", gpu ? ImageSizes.CPU_DEFAULT : ImageSizes.GPU_DEFAULT,
                    gpu ? "CPU" : "GPU");
        }
        return config.withImageSize(size);
    }

    /** "queue_size 32768 -> 512": the settings that differ, under their config.json keys. */
    private static String changes(MethodConfig before, MethodConfig after) {
        Map<String, Object> was = MethodSettings.toMap(before.settings());
        Map<String, Object> now = MethodSettings.toMap(after.settings());
        return now.entrySet().stream().filter(e -> !e.getValue().equals(was.get(e.getKey())))
                .map(e -> e.getKey() + " " + was.get(e.getKey()) + " -> " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** config.json's record of a resume: from which checkpoint, when, and with which run options. */
    private static Map<String, Object> resume(Resumed resumed, TrainConfig config) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("from", resumed.point() == null ? "the start" : resumed.point().state().describe());
        entry.put("at", Instant.now().toString());
        entry.put("epochs", config.epochs());
        entry.put("device", config.device().toString());
        entry.put("threads", config.threads());
        return entry;
    }

    private static RunConfig describe(TrainConfig config, PretextMethod method, String source, ImageStore train,
                                      ImageStore test, Device[] devices, int threads, Engine engine,
                                      TrainingControl control, String initDigest, List<Object> resumes) {
        Path data = config.data().path();
        RunConfig.Options options = new RunConfig.Options(data == null ? null : data.toAbsolutePath().normalize(),
                config.data().testFraction(), config.output() == null ? null : config.output().toString(),
                config.epochs(), config.batchSize(), config.optimizer().learningRate(), config.seed(), config.limit(),
                config.device(), config.maxGpus(), config.threads(), control.checkpointEvery().toMillis() / 60_000.0,
                config.initFrom() == null ? null : config.initFrom().toAbsolutePath().normalize(),
                config.timeBudget());
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("objective", method.describe());
        facts.put("data_source", source);
        facts.put("test_images", test == null ? 0 : test.size());
        facts.put("class_names", train.classNames());
        facts.put("devices", Arrays.stream(devices).map(Device::toString).toList());
        facts.put("intra_op_threads", threads);
        facts.put("native", NativeLibrary.toMap(engine));
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("selfsup", SelfsupVersion.VALUE);
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        facts.put("versions", versions);
        return new RunConfig(options, config.method(), config.optimizer(), train.size(), initDigest, resumes, facts);
    }

    private static String sha256(Path file) {
        try {
            return AtomicFiles.digest(file).sha256();
        } catch (java.io.IOException e) {
            throw new SelfsupException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
