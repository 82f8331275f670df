package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * A target network that follows an online network of the same structure as an exponential moving average:
 * BYOL's target, and what MoCo's key encoder or DINO's teacher would be. The target's parameters are frozen, so
 * the optimizer never touches them; only {@link #update} does, over the weights as solo-learn's MomentumUpdater:
 * batch-norm running mean and variance are not averaged, the target keeps its own, which its forward pass in
 * training mode updates. Both blocks are children of the method's network, so a checkpoint holds the target.
 */
public final class MomentumTarget {

    private final Block online;
    private final Block target;
    private final double tauBase;
    private final double tauFinal;

    /**
     * @param tauBase the EMA rate at the first step, rising to 1 on a cosine over the run ({@link #tau})
     */
    public MomentumTarget(Block online, Block target, double tauBase) {
        this(online, target, tauBase, 1);
    }

    /**
     * @param tauBase the EMA rate at the first step, rising to {@code tauFinal} on a cosine over the run
     *     (solo-learn's base_tau and final_tau: 1 for BYOL, 0.999 for MoCo v2+)
     */
    public MomentumTarget(Block online, Block target, double tauBase, double tauFinal) {
        this.online = online;
        this.target = target;
        this.tauBase = tauBase;
        this.tauFinal = tauFinal;
        target.freezeParameters(true);
    }

    /** The target starts equal to the online network, running statistics included. */
    public void copyOnlineToTarget() {
        List<NDArray> from = arrays(online, false);
        List<NDArray> to = arrays(target, false);
        for (int i = 0; i < from.size(); i++) {
            to.get(i).set(from.get(i).toFloatArray());
        }
    }

    /** After optimizer step {@code step} (counted from 1) of {@code totalSteps}. */
    public void update(long step, long totalSteps) {
        update(tau(tauBase, tauFinal, step, totalSteps));
    }

    /**
     * target = tau * target + (1 - tau) * online, element by element and in place. The one temporary,
     * (1 - tau) * online, lives in a sub-manager closed here, never in the parameters' manager.
     */
    void update(double tau) {
        List<NDArray> from = arrays(online, true);
        List<NDArray> to = arrays(target, true);
        if (from.size() != to.size()) {
            throw new IllegalStateException(from.size() + " online arrays, " + to.size() + " target arrays");
        }
        for (int i = 0; i < from.size(); i++) {
            NDArray t = to.get(i);
            NDArray o = from.get(i);
            if (!o.getShape().equals(t.getShape())) {
                throw new IllegalStateException("array " + i + ": online " + o.getShape() + ", target " + t.getShape());
            }
            try (NDManager scope = t.getManager().newSubManager()) {
                NDArray share = o.mul((float) (1 - tau));
                share.attach(scope);
                t.muli((float) tau).addi(share);
            }
        }
    }

    /** solo-learn's cosine increase of tau from {@code base} at step 0 to 1 at {@code totalSteps}. */
    public static double tau(double base, long step, long totalSteps) {
        return tau(base, 1, step, totalSteps);
    }

    /** solo-learn's MomentumUpdater.update_tau: from {@code base} at step 0 to {@code end} at {@code totalSteps}. */
    public static double tau(double base, double end, long step, long totalSteps) {
        return end - (end - base) * (Math.cos(Math.PI * step / totalSteps) + 1) / 2;
    }

    private static List<NDArray> arrays(Block block, boolean weightsOnly) {
        return block.getParameters().values().stream()
                .filter(p -> !weightsOnly || (p.getType() != Parameter.Type.RUNNING_MEAN
                        && p.getType() != Parameter.Type.RUNNING_VAR))
                .map(Parameter::getArray).toList();
    }
}
