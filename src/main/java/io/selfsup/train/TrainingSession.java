package io.selfsup.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.selfsup.SelfsupException;
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
import io.selfsup.run.RunDirectory;
import io.selfsup.weights.Sha256;
import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightFormat;
import io.selfsup.weights.WeightImport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A whole ssl-train run: read the data, pick devices, create the run directory, train. */
public final class TrainingSession {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingSession.class);
    /** The version in the jar's manifest (from pom.xml), or "dev" when run from classes. */
    public static final String VERSION = Objects.requireNonNullElse(
            TrainingSession.class.getPackage().getImplementationVersion(), "dev");

    private TrainingSession() {}

    /** Outcome of a run: where it was written and its per-epoch figures. */
    public record Outcome(RunDirectory run, List<EpochResult> epochs) {}

    public static Outcome run(TrainConfig config, Consumer<EpochResult> onEpoch) {
        return train(config, null, onEpoch);
    }

    /**
     * Continues the run in {@code runDir} from its newest complete checkpoint with the options it was started
     * with; {@code epochs}, when not null, replaces its epoch count (to train further).
     */
    public static Outcome resume(Path runDir, Integer epochs, Consumer<EpochResult> onEpoch) {
        RunDirectory run = RunDirectory.open(runDir);
        TrainConfig config = TrainConfig.fromRun(run.readConfig(), run.path());
        if (epochs != null) {
            config = config.withEpochs(epochs);
        }
        int done = run.lastResumableEpoch();
        if (done >= config.epochs()) {
            throw new SelfsupException("run " + run.path() + " has already trained " + done + " of "
                    + config.epochs() + " epochs; pass --epochs N with N > " + done + " to train further");
        }
        return train(config, run, onEpoch);
    }

    private static Outcome train(TrainConfig config, RunDirectory resumed, Consumer<EpochResult> onEpoch) {
        String initDigest = null;
        if (resumed == null && config.initFrom() != null) {
            // read before any data: a wrong file fails in a second, and the ResNet width may come from it
            StateDict weights = WeightFormat.read(config.initFrom());
            config = config.withMethod(WeightImport.resolve(config.method(), weights, config.initFrom()));
            WeightImport.verify(weights, config.method(), config.initFrom());
            initDigest = Sha256.of(config.initFrom());
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
        Engine engine = Engine.getInstance();
        Device[] devices = DeviceSelector.select(config.device(), config.maxGpus(), engine.getGpuCount());
        MethodConfig method = config.method().resolveWidth(devices[0].isGpu());
        if (method.width() != config.method().width()) {
            LOG.info("--width not given: {} for {} on the {} (the standard network is {}; pass --width)",
                    method.width(), method.backbone().id(), devices[0].isGpu() ? "GPU" : "CPU",
                    MethodConfig.GPU_WIDTH);
            config = config.withMethod(method);
        }
        PretextMethod pretext = method.create();
        if (devices.length > 1 && !pretext.lossSplitsOverImages()) {
            LOG.warn("{} compares every image of a batch with every other, which a split batch would change: "
                    + "training on {} only", method.method().id(), devices[0]);
            devices = new Device[] {devices[0]};
        }
        LOG.info("training {} ({}) on {} ({} GPU(s) visible, --device {}), {} intra-op thread(s)",
                method.method().id(), method.backbone().id() + (method.width() > 0 ? " width " + method.width() : ""),
                Arrays.toString(devices), engine.getGpuCount(), config.device().name().toLowerCase(), threads);
        LOG.info("{}: {} training images, {} test images", source, train.size(), test == null ? 0 : test.size());
        LOG.info("native library: {}", NativeLibrary.describe(engine));
        String nativeWarning = NativeLibrary.cudaWithoutGpu(engine);
        if (nativeWarning != null) {
            LOG.warn(nativeWarning);
        }

        RunDirectory run = resumed != null ? resumed : RunDirectory.create(config.output(), config.runsRoot());
        int firstEpoch = resumed != null ? resumed.lastResumableEpoch() + 1 : 1;
        Map<String, Object> description = describe(config, pretext, source, train, test, devices, threads, engine);
        if (initDigest != null) {
            description.put("init_from_sha256", initDigest);
        } else if (resumed != null && resumed.readConfig().get("init_from_sha256") != null) {
            description.put("init_from_sha256", resumed.readConfig().get("init_from_sha256"));
        }
        run.writeConfig(description);
        ServingProperties.write(run.path());
        List<EpochResult> epochs = new TrainingLoop(config, devices).train(train, test, run, firstEpoch, onEpoch);
        return new Outcome(run, epochs);
    }

    private static Map<String, Object> describe(TrainConfig config, PretextMethod method, String source,
                                                ImageStore train, ImageStore test, Device[] devices, int threads,
                                                Engine engine) {
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
        options.put("init_from", config.initFrom() == null ? null
                : config.initFrom().toAbsolutePath().normalize().toString());

        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", config.method().method().id());
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
        versions.put("selfsup", VERSION);
        versions.put("djl", Engine.getDjlVersion());
        versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
        versions.put("java", System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        c.put("versions", versions);
        return c;
    }
}
