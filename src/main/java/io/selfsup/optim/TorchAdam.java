package io.selfsup.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam exactly as torch.optim.Adam computes it. DJL's Adam adds epsilon to sqrt(v) before bias correction,
 * PyTorch after it; passing epsilon * sqrt(1 - beta2^t) to the engine's fused update makes the two equal.
 */
public final class TorchAdam extends Optimizer implements StatefulOptimizer {

    // torch.optim.Adam's defaults, which every recipe here uses
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private float learningRate;
    private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
    private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
    // our own step counts (DJL's are private), so that a resumed run continues the bias correction
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    private TorchAdam(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double correction1 = 1.0 - Math.pow(BETA1, t);
        double correction2 = Math.sqrt(1.0 - Math.pow(BETA2, t));
        float stepSize = (float) (learningRate * correction2 / correction1);
        float engineEpsilon = (float) (EPSILON * correction2);
        NDList inputs = new NDList(weight, grad,
                withDefaultState(means, parameterId, weight.getDevice(), k -> weight.zerosLike()),
                withDefaultState(variances, parameterId, weight.getDevice(), k -> weight.zerosLike()));
        weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), learningRate, stepSize, 0f,
                rescaleGrad, clipGrad, BETA1, BETA2, engineEpsilon, true, false);
    }

    /**
     * Writes the step count and both moments of each parameter, in the given order (parameter ids are not
     * stable across processes; their order in the model is).
     */
    @Override
    public void saveState(DataOutputStream out, List<String> parameterIds) throws IOException {
        OptimizerStateIo.writeCount(out, parameterIds);
        for (String id : parameterIds) {
            out.writeInt(steps.getOrDefault(id, 0));
            OptimizerStateIo.write(out, means.get(id));
            OptimizerStateIo.write(out, variances.get(id));
        }
    }

    /** Reads what {@link #saveState} wrote into this optimizer, for parameters on {@code manager}'s device. */
    @Override
    public void loadState(DataInputStream in, List<String> parameterIds, NDManager manager) throws IOException {
        OptimizerStateIo.readCount(in, parameterIds);
        for (String id : parameterIds) {
            steps.put(id, in.readInt());
            putIfPresent(means, id, OptimizerStateIo.read(in, manager));
            putIfPresent(variances, id, OptimizerStateIo.read(in, manager));
        }
    }

    private static void putIfPresent(Map<String, Map<Device, NDArray>> state, String id,
                                     Map<Device, NDArray> value) {
        if (value != null) {
            state.put(id, value);
        }
    }

    /** Builds a {@link TorchAdam}; the learning rate's default is torch.optim.Adam's. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private float learningRate = 1e-3f;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public TorchAdam build() {
            if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
            }
            return new TorchAdam(this);
        }
    }
}
