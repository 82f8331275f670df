package io.selfsup.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD exactly as torch.optim.SGD(momentum, weight_decay, dampening 0, nesterov false) computes it:
 * g = grad + wd * w; buf = mu * buf + g (buf = g at the first step); w -= lr * buf.
 * DJL's Sgd (and the engine's fused sgdUpdate) keeps lr inside the buffer, buf = mu * buf + lr * g, which equals
 * PyTorch's only while lr is constant; a per-step schedule needs the learning rate outside it.
 * DJL's rescaleGrad and clipGrad apply to the raw gradient first, as in DJL's optimizers, with clipGrad clipping to
 * [-clipGrad, clipGrad] as DJL documents it (the engine's fused updates clamp only from above).
 */
public final class TorchSgd extends Optimizer implements StatefulOptimizer {

    private volatile float learningRate;
    private final float momentum;
    private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();

    private TorchSgd(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        momentum = builder.momentum;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The learning rate of the following steps: a schedule sets it before each step. */
    @Override
    public void setLearningRate(float learningRate) {
        this.learningRate = checkLearningRate(learningRate);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        // Every temporary goes to this sub-manager: left to their first operand's manager they would pile up in the
        // parameters' (or, for the detached buffers, the engine's system) manager, one set per step.
        try (NDManager scope = weight.getManager().newSubManager()) {
            NDArray g = scoped(scope, grad.duplicate());
            if (rescaleGrad != 1f) {
                g.muli(rescaleGrad);
            }
            if (clipGrad >= 0) {
                g = scoped(scope, g.clip(-clipGrad, clipGrad));
            }
            float weightDecay = getWeightDecay();
            if (weightDecay != 0f) {
                g.addi(scoped(scope, weight.mul(weightDecay)));
            }
            NDArray direction = g;
            if (momentum != 0f) {
                // a zero buffer times mu plus g is exactly g, PyTorch's first-step buffer
                direction = withDefaultState(buffers, parameterId, weight.getDevice(), k -> weight.zerosLike());
                direction.muli(momentum).addi(g);
            }
            weight.subi(scoped(scope, direction.mul(learningRate)));
        }
        // The engine's own updates clear the gradient after the step and DJL's PyTorch GradientCollector relies on
        // it (it does not zero gradients itself); without this, gradients would add up across steps.
        JniUtils.zeroGrad((PtNDArray) weight);
    }

    /**
     * Writes the momentum buffer of each parameter, in the given order (parameter ids are not stable across
     * processes; their order in the model is). A parameter not yet stepped has no buffer and is written as absent.
     */
    @Override
    public void saveState(DataOutputStream out, List<String> parameterIds) throws IOException {
        OptimizerStateIo.writeCount(out, parameterIds);
        for (String id : parameterIds) {
            OptimizerStateIo.write(out, buffers.get(id));
        }
    }

    /** Reads what {@link #saveState} wrote into this optimizer, for parameters on {@code manager}'s device. */
    @Override
    public void loadState(DataInputStream in, List<String> parameterIds, NDManager manager) throws IOException {
        OptimizerStateIo.readCount(in, parameterIds);
        for (String id : parameterIds) {
            Map<Device, NDArray> buffer = OptimizerStateIo.read(in, manager);
            if (buffer == null) {
                buffers.remove(id);
            } else {
                buffers.put(id, buffer);
            }
        }
    }

    private static NDArray scoped(NDManager scope, NDArray temporary) {
        temporary.attach(scope);
        return temporary;
    }

    private static float checkLearningRate(float learningRate) {
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + learningRate);
        }
        return learningRate;
    }

    /** Builds a {@link TorchSgd}; defaults are torch.optim.SGD's (lr has none there; 0.01 here). */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private float learningRate = 0.01f;
        private float momentum;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /** PyTorch's coupled (L2) weight decay, added to the gradient before momentum; the same as optWeightDecays. */
        public Builder optWeightDecay(float weightDecay) {
            return optWeightDecays(weightDecay);
        }

        public TorchSgd build() {
            checkLearningRate(learningRate);
            if (!(momentum >= 0) || Float.isInfinite(momentum)) {
                throw new IllegalArgumentException("momentum must be a finite number >= 0, got " + momentum);
            }
            return new TorchSgd(this);
        }
    }
}
