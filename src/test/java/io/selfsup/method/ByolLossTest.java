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

    /**
     * Multi-crop (2 global + 2 local views) against solo-learn's BYOL training step in PyTorch
     * (scripts/fixtures/make-multicrop-fixtures.py): the sum over each global view g and every other view v of
     * byol_loss_func(p_v, z_g), the same gradients into every prediction, none into the targets. A mean instead of
     * the sum, or local views given targets, is far off.
     */
    @Test
    void multiCropLossAndGradientsMatchSoloLearn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "multicrop_byol");
            NDList p = new NDList();
            for (int v = 0; v < 4; v++) {
                p.add(f.get("p_" + v));
            }
            NDList z = new NDList(f.get("z_0"), f.get("z_1"));
            p.forEach(a -> a.setRequiresGradient(true));
            z.forEach(a -> a.setRequiresGradient(true));
            float expected = f.get("loss").getFloat();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = ByolLoss.multiCrop(p, z);
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "loss");
                collector.backward(loss);
            }
            for (int v = 0; v < 4; v++) {
                assertClose("grad p_" + v, f.get("grad_p_" + v), p.get(v).getGradient(), 1e-5);
            }
            for (NDArray target : z) {
                assertEquals(0f, target.getGradient().abs().sum().getFloat(), "no gradient into a target");
            }
        }
    }

    /** With two views the multi-crop loss is the symmetric loss exactly: K = 0 changes nothing. */
    @Test
    void twoViewsOfTheMultiCropLossAreTheSymmetricLossExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_byol");
            NDArray symmetric = ByolLoss.loss(f.get("p1"), f.get("z2")).add(ByolLoss.loss(f.get("p2"), f.get("z1")));
            NDArray multi = ByolLoss.multiCrop(new NDList(f.get("p1"), f.get("p2")), new NDList(f.get("z1"), f.get("z2")));
            assertEquals(symmetric.getFloat(), multi.getFloat(), 0f);
        }
    }
}
