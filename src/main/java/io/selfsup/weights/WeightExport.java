package io.selfsup.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.JsonUtils;
import io.selfsup.SelfsupVersion;
import io.selfsup.encode.TrainedModel;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.nn.BackboneType;
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
        m.put("preprocessing", "RGB, centre-cropped to a square, resized to 32x32, x / 255, then (x - 0.5) / 0.5 "
                + "per channel; NCHW float32");
        return m;
    }

    private static String architecture(MethodConfig config, WeightContent content) {
        if (config.backbone() == BackboneType.CONV2) {
            return "the seed article's Autoencoder: encoder = Sequential(Conv2d(3, 64, 4, stride=2, padding=1), "
                    + "ReLU, Conv2d(64, 128, 4, stride=2, padding=1), ReLU); decoder = Sequential("
                    + "ConvTranspose2d(128, 64, 4, stride=2, padding=1), ReLU, ConvTranspose2d(64, 3, 4, stride=2, "
                    + "padding=1), Tanh)" + (content == WeightContent.BACKBONE ? "; encoder only" : "")
                    + "; feature: the encoder's 128x8x8 map";
        }
        int w = config.width();
        String resnet = "torchvision.models.resnet18 with the CIFAR stem: conv1 = Conv2d(3, " + w + ", 3, stride=1, "
                + "padding=1, bias=False), maxpool = Identity, fc = Identity; stage widths " + w + ", " + 2 * w + ", "
                + 4 * w + ", " + 8 * w + (w == 64 ? " (the standard network)" : " (64 in the standard network)")
                + "; feature: global average pool of layer4, " + 8 * w + " values";
        return content == WeightContent.BACKBONE ? resnet
                : config.method().id() + " network (keys as in config.json's method) whose backbone is " + resnet;
    }
}
