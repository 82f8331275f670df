package io.selfsup.method;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
 * VICReg's loss against PyTorch running solo-learn's vicreg_loss_func, re-typed in
 * scripts/fixtures/make-objective-fixtures.py: the same value and the same gradients with respect to every view, for
 * two views at solo-learn's weights (two_views), two global and two local views under the multi-crop rule
 * (multicrop: a wrong pair count or per-view scale is off by far more than rounding), and dimensions whose std lies
 * on both sides of the hinge, with weights other than the defaults (hinge_sides: a hinge on the wrong side or a
 * swapped weight shows there). Tolerance: 1e-5 relative for the loss, 1e-5 of the largest gradient element.
 */
class VicregLossTest {

    @ParameterizedTest
    @ValueSource(strings = {"two_views", "multicrop", "hinge_sides"})
    void valueAndGradientsMatchPyTorch(String fixture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_vicreg_" + fixture);
            int views = (int) f.get("views").getLong();
            float[] weights = f.get("weights").toFloatArray();
            NDList z = new NDList();
            for (int i = 0; i < views; i++) {
                NDArray view = f.get("z" + i);
                view.setRequiresGradient(true);
                z.add(view);
            }
            float expected = f.get("loss").getFloat();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = VicregLoss.loss(z, (int) f.get("global_views").getLong(), weights[0], weights[1],
                        weights[2]);
                assertEquals(0, loss.getShape().dimension(), "a scalar");
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "loss");
                collector.backward(loss);
            }
            for (int i = 0; i < views; i++) {
                assertClose("grad z" + i, f.get("grad_z" + i), z.get(i).getGradient(), 1e-5);
            }
        }
    }

    @Test
    void refusesFewerThanTwoViewsOrNoGlobalView() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z = manager.randomNormal(new ai.djl.ndarray.types.Shape(4, 3));
            assertThrows(IllegalArgumentException.class, () -> VicregLoss.loss(new NDList(z), 1, 25, 25, 1));
            assertThrows(IllegalArgumentException.class, () -> VicregLoss.loss(new NDList(z, z), 0, 25, 25, 1));
        }
    }
}
