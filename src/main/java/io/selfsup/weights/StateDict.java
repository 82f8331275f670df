package io.selfsup.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tensors under PyTorch state_dict keys, in order, with string metadata (the architecture description):
 * what a weights file holds, whatever its format.
 */
public record StateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {

    public StateDict {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public Tensor get(String key) {
        return tensors.get(key);
    }

    public boolean has(String key) {
        return tensors.containsKey(key);
    }
}
