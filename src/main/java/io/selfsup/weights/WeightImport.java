package io.selfsup.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.selfsup.SelfsupException;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import io.selfsup.nn.Backbone;
import io.selfsup.nn.BackboneType;
import io.selfsup.nn.Stem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Map;

/**
 * Sets a method's network from a state_dict (an ssl-export file or one PyTorch wrote): the backbone alone or
 * the whole network, every tensor checked by name and shape first, so a mismatch changes nothing and names
 * the first offending tensor.
 */
public final class WeightImport {

    /** torchvision's classifier: not part of a feature backbone, so a full resnet18 state_dict loads too. */
    private static final String CLASSIFIER_PREFIX = "fc.";

    private WeightImport() {}

    /**
     * The backbone a file holds (by its first conv's key) and, for a ResNet, its width and stem (null when conv1's
     * kernel, {@code stemKernel}, is no stem selfsup builds).
     */
    public record FileArchitecture(BackboneType backbone, int width, Stem stem, long stemKernel) {}

    /**
     * The prefixes under which a backbone's keys stand in the files selfsup reads: a backbone alone, a method's
     * network ("backbone." of SimCLR, "online.backbone." of BYOL) or the autoencoder (whose encoder keys are the
     * backbone's own).
     */
    private static final List<String> PREFIXES = List.of("", "backbone.", "online.backbone.");

    public static FileArchitecture architecture(StateDict dict, Path file) {
        for (String prefix : PREFIXES) {
            for (BackboneType backbone : BackboneType.values()) {
                Optional<Backbone.Found> found = backbone.recognise(key -> {
                    Tensor t = dict.get(key);
                    return t == null ? null : t.shape();
                }, prefix);
                if (found.isPresent()) {
                    Backbone.Found f = found.get();
                    return new FileArchitecture(backbone, f.width(), f.stem(), f.stemKernel());
                }
            }
        }
        throw new SelfsupException(file + " holds no backbone selfsup knows (" + Arrays.stream(BackboneType.values())
                .map(BackboneType::id).collect(Collectors.joining(", ")) + "); its first tensor is "
                + dict.tensors().keySet().stream().findFirst().orElse("none"));
    }

    /**
     * The method config to build for {@code file}: the requested one, with the backbone's width and stem taken from
     * the file when none was asked for. A backbone or stem that differs from the file's is refused.
     */
    public static MethodConfig resolve(MethodConfig requested, StateDict dict, Path file) {
        FileArchitecture found = architecture(dict, file);
        if (found.backbone() != requested.backbone()) {
            throw new SelfsupException(file + " holds a " + found.backbone().id() + " backbone but the run trains "
                    + requested.backbone().id() + "; pass --backbone " + found.backbone().id());
        }
        MethodConfig resolved = requested;
        if (requested.backbone().hasWidth() && requested.width() == 0) {
            resolved = resolved.withWidth(found.width());
        }
        if (requested.backbone().hasStem()) {
            if (found.stem() == null) {
                throw new SelfsupException(file + ": conv1 has " + found.stemKernel() + "x" + found.stemKernel()
                        + " filters, a stem selfsup does not build (3x3: --stem cifar, 7x7: --stem standard)");
            }
            if (requested.stemChosen() && requested.stem() != found.stem()) {
                throw new SelfsupException(file + " holds a ResNet with the " + found.stem() + " stem but the run "
                        + "asks for --stem " + requested.stem() + "; pass --stem " + found.stem() + " or leave it out");
            }
            resolved = resolved.withStem(found.stem());
        }
        return resolved;
    }

    /**
     * Checks that the file fits a network of {@code config} (built and dropped on the CPU for its shapes), so
     * that a mismatch is found before a run directory is created.
     */
    public static WeightContent verify(StateDict dict, MethodConfig config, Path file) {
        PretextMethod method = config.create();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            method.network().initialize(manager, DataType.FLOAT32, method.inputShapes(1));
            return check(dict, method, config, file).content();
        }
    }

    /**
     * Copies the file's tensors into the initialized network of {@code method}; returns what it held. Nothing
     * is changed unless every tensor matches.
     */
    public static WeightContent apply(StateDict dict, PretextMethod method, MethodConfig config, Path file) {
        Match match = check(dict, method, config, file);
        for (Map.Entry<String, Parameter> e : match.layout().entrySet()) {
            NDArray current = e.getValue().getArray();
            NDArray value = dict.get(e.getKey()).toArray(current.getManager());
            if (value.getDataType() != DataType.FLOAT32) {
                NDArray converted = value.toType(DataType.FLOAT32, false);
                value.close();
                value = converted;
            }
            // the parameter keeps its array object (blocks and the trainer hold it); only its storage changes
            current.intern(value);
            value.close();
        }
        return match.content();
    }

    private record Match(WeightContent content, Map<String, Parameter> layout) {}

    private static Match check(StateDict dict, PretextMethod method, MethodConfig config, Path file) {
        Map<String, Parameter> all = TorchLayout.of(method, config, WeightContent.ALL);
        Map<String, Parameter> backbone = TorchLayout.of(method, config, WeightContent.BACKBONE);
        WeightContent content = dict.tensors().keySet().stream()
                .anyMatch(k -> all.containsKey(k) && !backbone.containsKey(k)) ? WeightContent.ALL : WeightContent.BACKBONE;
        Map<String, Parameter> layout = content == WeightContent.ALL ? all : backbone;
        String network = config.method().id() + " " + config.backbone().id()
                + (config.width() > 0 ? " width " + config.width() : "");
        for (Map.Entry<String, Tensor> e : dict.tensors().entrySet()) {
            String key = e.getKey();
            if (layout.containsKey(key) || TorchLayout.isBatchCounter(key)
                    || (content == WeightContent.BACKBONE && key.startsWith(CLASSIFIER_PREFIX))) {
                continue;
            }
            throw new SelfsupException(file + ": tensor '" + key + "' is not a parameter of the " + network
                    + (content == WeightContent.ALL ? " network" : " backbone") + " (expected keys such as '"
                    + layout.keySet().iterator().next() + "')");
        }
        for (Map.Entry<String, Parameter> e : layout.entrySet()) {
            Tensor t = dict.get(e.getKey());
            if (t == null) {
                throw new SelfsupException(file + " lacks '" + e.getKey() + "' of the " + network
                        + (content == WeightContent.ALL ? " network" : " backbone"));
            }
            long[] expected = e.getValue().getArray().getShape().getShape();
            if (!Arrays.equals(t.shape(), expected)) {
                throw new SelfsupException(file + ": '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
                        + " but the " + network + " expects " + Arrays.toString(expected)
                        + (e.getKey().endsWith("conv1.weight") ? " (another --width or --stem?)" : ""));
            }
            if (!t.type().isFloating()) {
                throw new SelfsupException(file + ": '" + e.getKey() + "' is " + t.type() + ", not floating point");
            }
            long notFinite = notFinite(t);
            if (notFinite > 0) {
                // refused rather than warned about: one NaN in a weight makes every output NaN from the first batch
                throw new SelfsupException(file + ": '" + e.getKey() + "' holds " + notFinite + " value(s) that are "
                        + "NaN or infinite; pass weights that trained without diverging");
            }
        }
        return new Match(content, layout);
    }

    private static long notFinite(Tensor t) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray values = t.toArray(manager);
            return values.isNaN().logicalOr(values.isInfinite()).countNonzero().toLongArray()[0];
        }
    }
}
