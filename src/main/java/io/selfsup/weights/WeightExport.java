package io.selfsup.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.JsonUtils;
import io.selfsup.SelfsupVersion;
import io.selfsup.encode.TrainedModel;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.run.ParameterFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A trained network as a PyTorch state_dict with its architecture described in the metadata. */
public final class WeightExport {

    private WeightExport() {}

    /** Writes the run's (or checkpoint's) weights to {@code out}, its format chosen by the extension. */
    public static StateDict export(TrainedModel model, Path out, WeightContent content, boolean overwrite) {
        WeightFormat.of(out);
        PretextMethod method = model.method().create();
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            method.network().initialize(manager, DataType.FLOAT32, method.inputShapes(2));
            ParameterFiles.read(model.parameters(), method.network(), manager);
            StateDict dict = stateDict(method, model.method(), content);
            WeightFormat.write(dict, out, overwrite);
            return dict;
        }
    }

    /**
     * The parameters' current values. Batch norms get PyTorch's num_batches_tracked (as 0: DJL counts no
     * batches, and PyTorch reads it only with momentum=None) so that load_state_dict(strict=True) accepts them.
     */
    public static StateDict stateDict(PretextMethod method, MethodConfig config, WeightContent content) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : TorchLayout.of(method, config, content).entrySet()) {
            String key = e.getKey();
            tensors.put(key, Tensor.of(e.getValue().getArray()));
            if (key.endsWith("." + TorchLayout.RUNNING_VAR)) {
                String prefix = key.substring(0, key.length() - TorchLayout.RUNNING_VAR.length());
                tensors.put(prefix + TorchLayout.NUM_BATCHES_TRACKED, Tensor.scalarLong(0));
            }
        }
        return new StateDict(tensors, metadata(config, content));
    }

    static Map<String, String> metadata(MethodConfig config, WeightContent content) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put("selfsup_version", SelfsupVersion.VALUE);
        m.put("content", content.id());
        m.put("method", JsonUtils.GSON.toJson(config.toMap()));
        m.put("architecture", architecture(config, content));
        m.put("preprocessing", "RGB, centre-cropped to a square, resized to " + config.imageSize() + "x"
                + config.imageSize() + ", x / 255, then (x - 0.5) / 0.5 per channel; NCHW float32");
        m.put("image_size", Integer.toString(config.imageSize()));
        return m;
    }

    private static String architecture(MethodConfig config, WeightContent content) {
        String backbone = config.backbone().architecture(config.width(), config.stem());
        return content == WeightContent.BACKBONE ? backbone
                : config.id() + " network (keys as in config.json's method) whose backbone is " + backbone;
    }
}
