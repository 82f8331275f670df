package io.selfsup.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * The momentum (EMA) update of BYOL's target network, as solo-learn's MomentumUpdater: over the trainable parameters
 * only. Batch-norm running mean and variance are not averaged; the target keeps its own, which its forward pass in
 * training mode updates, as in solo-learn.
 */
public final class EmaUpdate {

    private EmaUpdate() {}

    /** target = tau * target + (1 - tau) * online for every trainable parameter of two blocks of the same structure. */
    public static void update(Block online, Block target, double tau) {
        update(trainable(online), trainable(target), tau);
    }

    /**
     * target = tau * target + (1 - tau) * online, element by element and in place, for lists in the same order.
     * The one temporary, (1 - tau) * online, lives in a sub-manager closed here, never in the parameters' manager.
     */
    public static void update(List<NDArray> online, List<NDArray> target, double tau) {
        if (online.size() != target.size()) {
            throw new IllegalArgumentException(online.size() + " online arrays, " + target.size() + " target arrays");
        }
        for (int i = 0; i < online.size(); i++) {
            NDArray t = target.get(i);
            NDArray o = online.get(i);
            if (!o.getShape().equals(t.getShape())) {
                throw new IllegalArgumentException("array " + i + ": online " + o.getShape() + ", target " + t.getShape());
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
        return 1 - (1 - base) * (Math.cos(Math.PI * step / totalSteps) + 1) / 2;
    }

    private static List<NDArray> trainable(Block block) {
        return block.getParameters().values().stream()
                .filter(Parameter::requiresGradient)
                .map(Parameter::getArray)
                .toList();
    }
}
