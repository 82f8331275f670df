package io.selfsup.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.selfsup.AtomicFiles;
import io.selfsup.SelfsupException;
import io.selfsup.SelfsupVersion;
import io.selfsup.UsageException;
import io.selfsup.data.DataSource;
import io.selfsup.data.DataSources;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.engine.DeviceSelector;
import io.selfsup.engine.EngineSettings;
import io.selfsup.engine.NativeLibrary;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.run.EpochResult;
import io.selfsup.predict.ServingProperties;
import io.selfsup.run.Checkpoint;
import io.selfsup.run.RunDirectory;
import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightFormat;
import io.selfsup.weights.WeightImport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
        Map<String, Object> saved = run.readConfig();
        TrainConfig original = TrainConfig.fromRun(saved, run.path());
        List<String> contradictions = request.contradictions(original);
        if (!contradictions.isEmpty()) {
            throw new UsageException("--resume continues " + run.path() + " as it was started, but "
                    + String.join(", ", contradictions) + "; leave these out (only --epochs, --threads, --device, "
                    + "--max-gpus, --checkpoint-every and --data with the same images may change)");
        }
        TrainConfig config = request.applyTo(original);
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
        Object images = saved.get("train_images");
        return train(config, new Resumed(run, point, images instanceof Number n ? n.intValue() : -1, saved), control,
                onEpoch);
    }

    /** A run being resumed: where from, and how many training images it was started with (-1: unknown). */
    private record Resumed(RunDirectory run, Checkpoint point, int trainImages,
                           Map<String, Object> savedConfig) {}

    private static Outcome train(TrainConfig config, Resumed resumed, TrainingControl control,
                                 Consumer<EpochResult> onEpoch) {
        String initDigest = null;
        if (resumed == null && config.initFrom() != null) {
            // read before any data: a wrong file fails in a second, and the ResNet width may come from it
            StateDict weights = WeightFormat.read(config.initFrom());
            config = config.withMethod(WeightImport.resolve(config.method(), weights, config.initFrom()));
            WeightImport.verify(weights, config.method(), config.initFrom());
            initDigest = sha256(config.initFrom());
        }
        int threads = EngineSettings.apply(config.threads());
        ImageStore train;
        ImageStore test;
        String source;
        try (DataSource data = DataSources.open(config.data())) {
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
        Engine engine = Engine.getInstance();
        Device[] devices = DeviceSelector.select(config.device(), config.maxGpus(), engine.getGpuCount());
        MethodConfig method = config.method().resolveWidth(devices[0].isGpu());
        if (method.width() != config.method().width()) {
            LOG.info("--width not given: {} for {} on the {} (on a GPU: {}; pass --width)",
                    method.width(), method.backbone().id(), devices[0].isGpu() ? "GPU" : "CPU",
                    method.backbone().defaultWidth(true));
            config = config.withMethod(method);
        }
        PretextMethod pretext = method.create();
        if (devices.length > 1 && !pretext.lossSplitsOverImages()) {
            LOG.warn("{} compares every image of a batch with every other, which a split batch would change: "
                    + "training on {} only", method.id(), devices[0]);
            devices = new Device[] {devices[0]};
        }
        LOG.info("training {} ({}) on {} ({} GPU(s) visible, --device {}), {} intra-op thread(s)",
                method.id(), method.backbone().id() + (method.width() > 0 ? " width " + method.width() : ""),
                Arrays.toString(devices), engine.getGpuCount(), config.device().name().toLowerCase(), threads);
        LOG.info("{}: {} training images, {} test images", source, train.size(), test == null ? 0 : test.size());
        LOG.info("native library: {}", NativeLibrary.describe(engine));
        String nativeWarning = NativeLibrary.cudaWithoutGpu(engine);
        if (nativeWarning != null) {
            LOG.warn(nativeWarning);
        }

        RunDirectory run = resumed != null ? resumed.run() : RunDirectory.create(config.output(), config.runsRoot());
        Checkpoint from = resumed == null ? null : resumed.point();
        Map<String, Object> description = describe(config, pretext, source, train, test, devices, threads, engine,
                control);
        if (initDigest != null) {
            description.put("init_from_sha256", initDigest);
        } else if (resumed != null && resumed.savedConfig().get("init_from_sha256") != null) {
            description.put("init_from_sha256", resumed.savedConfig().get("init_from_sha256"));
        }
        if (resumed != null) {
            description.put("resumes", resumes(resumed, config));
            run.writeMetrics(from == null ? List.of() : from.state().metrics());
        }
        run.writeConfig(description);
        run.writeText(ServingProperties.FILE, ServingProperties.content());
        List<EpochResult> epochs = new TrainingLoop(config, devices).train(train, test, run, from, control, onEpoch);
        return new Outcome(run, epochs);
    }

    /** config.json's record of every resume: from which checkpoint, when, and with which run options. */
    @SuppressWarnings("unchecked")
    private static List<Object> resumes(Resumed resumed, TrainConfig config) {
        List<Object> list = new ArrayList<>();
        if (resumed.savedConfig().get("resumes") instanceof List<?> earlier) {
            list.addAll(earlier);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("from", resumed.point() == null ? "the start" : resumed.point().state().describe());
        entry.put("at", Instant.now().toString());
        entry.put("epochs", config.epochs());
        entry.put("device", config.device().name().toLowerCase());
        entry.put("threads", config.threads());
        list.add(entry);
        return list;
    }

    private static Map<String, Object> describe(TrainConfig config, PretextMethod method, String source,
                                                ImageStore train, ImageStore test, Device[] devices, int threads,
                                                Engine engine, TrainingControl control) {
        Map<String, Object> options = new LinkedHashMap<>();
        Path data = config.data().path();
        options.put("data", data == null ? null : data.toAbsolutePath().normalize().toString());
        options.put("test_fraction", config.data().testFraction());
        options.put("output", config.output() == null ? null : config.output().toString());
        options.put("epochs", config.epochs());
        options.put("batch_size", config.batchSize());
        options.put("lr", config.optimizer().learningRate());
        options.put("seed", config.seed());
        options.put("limit", config.limit());
        options.put("device", config.device().name().toLowerCase());
        options.put("max_gpus", config.maxGpus());
        options.put("threads", config.threads());
        options.put("checkpoint_every_minutes", control.checkpointEvery().toMillis() / 60_000.0);
        options.put("init_from", config.initFrom() == null ? null
                : config.initFrom().toAbsolutePath().normalize().toString());

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", config.method().id());
        c.put("options", options);
        c.put("method", config.method().toMap());
        c.put("objective", method.describe());
        c.put("optimizer", config.optimizer().toMap());
        c.put("data_source", source);
        c.put("train_images", train.size());
        c.put("test_images", test == null ? 0 : test.size());
        c.put("class_names", train.classNames());
        c.put("devices", Arrays.stream(devices).map(Device::toString).toList());
        c.put("intra_op_threads", threads);
        c.put("native", NativeLibrary.toMap(engine));
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("selfsup", SelfsupVersion.VALUE);
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        c.put("versions", versions);
        return c;
    }

    private static String sha256(Path file) {
        try {
            return AtomicFiles.digest(file).sha256();
        } catch (java.io.IOException e) {
            throw new SelfsupException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
