package io.selfsup.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;

/**
 * Runs its children in order, like {@code torch.nn.Sequential}, and names them by position ("0", "1", ...)
 * as PyTorch does, so that {@link #torchName} turns parameter names into state_dict keys. DJL's
 * SequentialBlock names children after their class ("01Conv2d"), which has no PyTorch counterpart.
 */
public class TorchSequential extends AbstractBlock {

    private static final byte VERSION = 1;

    private static final Map<String, String> BATCH_NORM_NAMES = Map.of(
            "gamma", "weight", "beta", "bias", "runningMean", "running_mean", "runningVar", "running_var");

    public TorchSequential() {
        super(VERSION);
    }

    /** Appends a block under the next position; returns this. */
    public TorchSequential add(Block block) {
        addChildBlock(Integer.toString(children.size()), block);
        return this;
    }

    /**
     * The PyTorch state_dict key of a DJL parameter name, for blocks whose children carry PyTorch's module
     * names. DJL joins child names with '_' and prefixes each with its two-digit position ("01conv1_weight",
     * "03layer1_010_02bn1_gamma"), and calls batch norm's parameters gamma, beta, runningMean, runningVar.
     */
    public static String torchName(String djlParameterName) {
        String[] parts = djlParameterName.split("_");
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            if (!parts[i].matches("\\d\\d.+")) {
                throw new IllegalArgumentException("not a DJL child name with a two-digit position: " + parts[i]
                        + " in " + djlParameterName);
            }
            key.append(parts[i], 2, parts[i].length()).append('.');
        }
        String leaf = parts[parts.length - 1];
        return key.append(BATCH_NORM_NAMES.getOrDefault(leaf, leaf)).toString();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDList x = inputs;
        for (Block child : children.values()) {
            x = child.forward(store, x, training, params);
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            child.initialize(manager, dataType, shapes);
            shapes = child.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block child : children.values()) {
            shapes = child.getOutputShapes(shapes);
        }
        return shapes;
    }
}
