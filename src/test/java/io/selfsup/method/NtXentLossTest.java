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
}
