package io.selfsup.method;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.selfsup.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NT-Xent against PyTorch running the peer script's loss (scripts/fixtures/make-objective-fixtures.py): the same value and the
 * same gradients with respect to both views, at the peer's temperature 0.5 and at a sharper 0.1. Tolerance: 1e-5
 * relative for the loss, 1e-5 of the largest gradient element for the gradients (float32 rounding; a wrong positive
 * index, a missing normalization or a finite diagonal that leaks into the softmax is off by far more).
 */
class NtXentLossTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.5", "0.1"})
    void valueAndGradientsMatchPyTorch(String temperature) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_ntxent_t" + temperature);
            NDArray z1 = f.get("z1");
            NDArray z2 = f.get("z2");
            z1.setRequiresGradient(true);
            z2.setRequiresGradient(true);
            float expected = f.get("loss").getFloat();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = NtXentLoss.ntXent(z1, z2, Float.parseFloat(temperature));
                assertEquals(0, loss.getShape().dimension(), "a scalar");
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "loss");
                collector.backward(loss);
            }
            assertTrue(z1.getGradient().isInfinite().logicalOr(z1.getGradient().isNaN()).none().getBoolean(),
                    "the -inf diagonal leaves the gradient finite");
            assertClose("grad z1", f.get("grad_z1"), z1.getGradient(), 1e-5);
            assertClose("grad z2", f.get("grad_z2"), z2.getGradient(), 1e-5);
        }
    }

    /**
     * Multi-crop (2 global + 2 local views of 6 images) against solo-learn's simclr_loss_func in PyTorch
     * (scripts/fixtures/make-multicrop-fixtures.py): every other view of an image a positive, every view an
     * anchor. Same tolerances; a loss with one positive per row, or local views left out as anchors, is far off.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0.5", "0.1"})
    void multiCropValueAndGradientMatchSoloLearn(String temperature) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "multicrop_ntxent_t" + temperature);
            NDArray z = f.get("z");
            z.setRequiresGradient(true);
            float expected = f.get("loss").getFloat();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = NtXentLoss.ntXent(z, (int) f.get("views").getFloat(), Float.parseFloat(temperature));
                assertEquals(0, loss.getShape().dimension(), "a scalar");
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "loss");
                collector.backward(loss);
            }
            assertTrue(z.getGradient().isInfinite().logicalOr(z.getGradient().isNaN()).none().getBoolean(),
                    "the masked entries leave the gradient finite");
            assertClose("grad z", f.get("grad_z"), z.getGradient(), 1e-5);
        }
    }

    /** The multi-crop form of two views is today's NT-Xent bit for bit, value and gradient: K = 0 changes nothing. */
    @Test
    void twoViewsOfTheMultiCropFormAreThePairLossExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_ntxent_t0.5");
            NDArray z = f.get("z1").concat(f.get("z2"), 0);
            NDArray z1 = f.get("z1");
            NDArray z2 = f.get("z2");
            for (NDArray a : new NDArray[] {z, z1, z2}) {
                a.setRequiresGradient(true);
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray multi = NtXentLoss.ntXent(z, 2, 0.5f);
                NDArray pair = NtXentLoss.ntXent(z1, z2, 0.5f);
                assertEquals(pair.getFloat(), multi.getFloat(), 0f);
                collector.backward(multi.add(pair));
            }
            assertEquals(z1.getGradient().concat(z2.getGradient(), 0), z.getGradient());
        }
    }
}
