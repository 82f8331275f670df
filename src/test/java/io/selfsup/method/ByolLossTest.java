package io.selfsup.method;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.selfsup.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * BYOL's symmetric loss loss(p1, z2) + loss(p2, z1) against solo-learn's byol_loss_func in PyTorch: the same value,
 * the same gradients with respect to the predictions, and none reaching the targets even when they record
 * gradients (the stop-gradient). Tolerance 1e-5, as for NT-Xent.
 */
class ByolLossTest {

    @Test
    void symmetricLossAndGradientsMatchPyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_byol");
            NDArray p1 = f.get("p1");
            NDArray p2 = f.get("p2");
            NDArray z1 = f.get("z1");
            NDArray z2 = f.get("z2");
            for (NDArray a : new NDArray[] {p1, p2, z1, z2}) {
                a.setRequiresGradient(true);
            }
            float expected = f.get("loss").getFloat();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = ByolLoss.loss(p1, z2).add(ByolLoss.loss(p2, z1));
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "loss");
                collector.backward(loss);
            }
            assertClose("grad p1", f.get("grad_p1"), p1.getGradient(), 1e-5);
            assertClose("grad p2", f.get("grad_p2"), p2.getGradient(), 1e-5);
            assertEquals(0f, z1.getGradient().abs().sum().getFloat(), "no gradient into the target z1");
            assertEquals(0f, z2.getGradient().abs().sum().getFloat(), "no gradient into the target z2");
        }
    }
}
