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
 *
 * <p>With a trust coefficient eta ({@link Builder#optLars}) it is LARS (You, Gitman, Ginsburg 2017) in the form
 * solo-learn's recipes use (its LARS with clip_lars_lr and exclude_bias_n_norm): each weight of two or more
 * dimensions gets g = s * (grad + wd * w) with s = min(eta * |w| / (|grad| + wd * |w| + 1e-8) / lr, 1), so no layer
 * moves by more than eta of its own norm a step; biases and normalization weights (one dimension) take the plain
 * gradient, without decay; a weight or gradient of norm 0 is left unscaled and undecayed. All on the device: no
 * norm is read back to the host.
 */
public final class TorchSgd extends Optimizer implements StatefulOptimizer {

    /** solo-learn's (and lightning-bolts') eps in the LARS trust ratio. */
    private static final float LARS_EPS = 1e-8f;

    private volatile float learningRate;
    private final float momentum;
    private final float larsEta;
    private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();

    private TorchSgd(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        momentum = builder.momentum;
        larsEta = builder.larsEta;
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
            if (larsEta > 0f) {
                g = larsScaled(scope, weight, g, weightDecay);
            } else if (weightDecay != 0f) {
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

    /** g is in {@code scope}, so everything computed from it lands there too; only products of weight need moving. */
    private NDArray larsScaled(NDManager scope, NDArray weight, NDArray g, float weightDecay) {
        if (weight.getShape().dimension() == 1) {
            return g;
        }
        NDArray weightNorm = scoped(scope, weight.norm());
        NDArray gradNorm = g.norm();
        // solo-learn's order of operations: w / (g + w * wd + eps) * eta, then / lr (an lr of 0 gives inf, so 1)
        NDArray denominator = gradNorm.add(weightNorm.mul(weightDecay)).add(LARS_EPS);
        NDArray scale = weightNorm.div(denominator).mul(larsEta).div(learningRate).minimum(1f);
        NDArray active = weightNorm.neq(0f).logicalAnd(gradNorm.neq(0f)).toType(g.getDataType(), false);
        NDArray scaled = g.add(scoped(scope, weight.mul(weightDecay))).mul(scale);
        // exactly scaled where active (scaled * 1 + g * 0), exactly g where not
        return scaled.mul(active).add(g.mul(active.neg().add(1f)));
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
        private float larsEta;

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

        /** LARS's layer-wise scaling with trust coefficient {@code eta} (0: plain SGD); see the class comment. */
        public Builder optLars(float eta) {
            this.larsEta = eta;
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
            if (!(larsEta >= 0) || Float.isInfinite(larsEta)) {
                throw new IllegalArgumentException("the LARS trust coefficient must be a finite number >= 0, got "
                        + larsEta);
            }
            return new TorchSgd(this);
        }
    }
}
