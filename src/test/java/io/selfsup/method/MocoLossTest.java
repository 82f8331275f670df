package io.selfsup.method;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.selfsup.Fixtures;
import io.selfsup.nn.BackboneType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MoCo v2+'s loss against PyTorch running solo-learn's mocov2plus_loss_func (scripts/fixtures/make-moco-fixtures.py):
 * for two views it is solo-learn's symmetric loss with the queue of the key's view; with two global and two local
 * views it is the mean over (global g, view v != g) of InfoNCE(q_v, k_g, queue g). The same value and gradients
 * with respect to the raw query projections, at temperature 0.2, both from MocoLoss.loss and from the method's Loss
 * over the network's concatenated outputs. Tolerance: 1e-5 relative for the loss, 1e-5 of the largest gradient
 * element (float32 rounding; a queue of the wrong view, a missing normalization, the positive at another index or
 * a temperature applied to the positive only is off by far more).
 */
class MocoLossTest {

    @ParameterizedTest
    @ValueSource(strings = {"moco_two_views", "moco_multi_crop"})
    void valueAndGradientsMatchPyTorch(String fixture) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, fixture);
            NDArray z = f.get("z");
            NDArray k = f.get("k");
            NDArray queue = f.get("queue");
            float temperature = f.get("temperature").getFloat();
            assertEquals(0.2f, temperature);
            float expected = f.get("loss").getFloat();
            int views = (int) z.getShape().get(0);
            long n = z.getShape().get(1);
            long d = z.getShape().get(2);

            z.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDList queries = new NDList();
                for (int v = 0; v < views; v++) {
                    queries.add(z.get(v));
                }
                NDArray loss = MocoLoss.loss(queries, new NDList(k.get(0), k.get(1)), queue, temperature);
                assertEquals(0, loss.getShape().dimension(), "a scalar");
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "loss");
                collector.backward(loss);
            }
            assertClose("grad z", f.get("grad_z"), z.getGradient(), 1e-5);

            // the method's Loss reads the same from the network's outputs: views concatenated, one queue a view
            NDArray again = manager.create(z.toFloatArray(), z.getShape());
            again.setRequiresGradient(true);
            PretextMethod moco = MethodConfig.defaults("moco", BackboneType.RESNET18, 1).create();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = moco.loss().evaluate(new NDList(), new NDList(again.reshape(views * n, d),
                        k.reshape(2 * n, d), queue));
                assertEquals(expected, loss.getFloat(), 1e-5 * expected, "the method's loss");
                collector.backward(loss);
            }
            assertClose("grad z through the method's loss", f.get("grad_z"), again.getGradient(), 1e-5);
        }
    }
}
