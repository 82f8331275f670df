package io.selfsup.weights;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.PretextMethod;
import java.util.LinkedHashMap;
import java.util.Map;

/** A method's parameters under the PyTorch state_dict keys of the modules they correspond to. */
final class TorchLayout {

    static final String RUNNING_VAR = "running_var";
    static final String NUM_BATCHES_TRACKED = "num_batches_tracked";

    private TorchLayout() {}

    /** Key to parameter, in the network's order. */
    static Map<String, Parameter> of(PretextMethod method, MethodConfig config, WeightContent content) {
        Map<String, Parameter> layout = new LinkedHashMap<>();
        if (content == WeightContent.BACKBONE) {
            for (Pair<String, Parameter> p : method.backbone().getParameters()) {
                layout.put(config.backbone().torchKey(p.getKey()), p.getValue());
            }
        } else {
            for (Pair<String, Parameter> p : method.network().getParameters()) {
                layout.put(method.torchKey(p.getKey()), p.getValue());
            }
        }
        return layout;
    }

    /**
     * Whether {@code key} is a batch norm's step counter, a buffer PyTorch keeps and DJL does not (it only
     * matters to PyTorch with momentum=None).
     */
    static boolean isBatchCounter(String key) {
        return key.endsWith("." + NUM_BATCHES_TRACKED) || key.equals(NUM_BATCHES_TRACKED);
    }
}
