package io.selfsup.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.selfsup.encode.FeatureEncoder;
import io.selfsup.encode.TrainedModel;
import io.selfsup.engine.DeviceMode;
import io.selfsup.engine.DeviceSelector;
import io.selfsup.engine.EngineSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The networks of one executor JVM: each model is read once and kept for every task and partition that JVM runs,
 * on the executor's first GPU when it has one (CUDA libtorch), else its CPU. Forward passes of concurrent tasks take
 * turns on the one network (libtorch's threads parallelize each); their decoding runs side by side.
 */
final class ExecutorModels {

    /** A loaded model and what its inputs are. */
    record Loaded(TrainedModel model, FeatureEncoder encoder) {}

    private static final Map<String, Loaded> LOADED = new HashMap<>();

    private ExecutorModels() {}

    static synchronized Loaded of(String model) {
        return LOADED.computeIfAbsent(model, m -> {
            EngineSettings.apply(0);
            Path path = Path.of(m);
            TrainedModel trained = Files.isDirectory(path) ? TrainedModel.ofRun(path) : TrainedModel.ofFile(path);
            Device device = DeviceSelector.single(DeviceMode.AUTO, Engine.getInstance().getGpuCount());
            return new Loaded(trained, FeatureEncoder.fromCheckpoint(trained, device));
        });
    }
}
