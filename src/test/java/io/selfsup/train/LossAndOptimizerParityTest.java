package io.selfsup.train;

import io.selfsup.optim.TorchAdam;
import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.selfsup.method.MseLoss;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.selfsup.Fixtures;
import io.selfsup.nn.Autoencoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three steps of MSE + Adam from the same weights as PyTorch: the same losses and the same weights after. */
class LossAndOptimizerParityTest {

    @Test
    void threeAdamStepsMatchPyTorch() {
        Autoencoder net = new Autoencoder();
        try (Model model = Model.newInstance("parity");
             NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(net);
            NDList f = Fixtures.load(manager, "mse_adam");
            DefaultTrainingConfig config = new DefaultTrainingConfig(new MseLoss())
                    .optOptimizer(TorchAdam.builder().build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(Autoencoder.inputShape(4));
                Fixtures.loadTorchParameters(net, f, "param_");
                float[] expectedLosses = f.get("losses").toFloatArray();
                NDArray x = f.get("x");
                for (int step = 0; step < 3; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray y = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(x), new NDList(y));
                        assertEquals(expectedLosses[step], loss.getFloat(), 1e-6 * expectedLosses[step] + 1e-7,
                                "loss at step " + step);
                        collector.backward(loss);
                    }
                    trainer.step();
                }
                // Compare the updates, not the weights: Adam divides by sqrt(v), so on elements whose gradient
                // is near zero it turns float32 rounding noise into a visible step; 1% of the update allows that
                // and still fails DJL's own Adam, whose epsilon placement differs.
                List<NDArray> before = f.stream().filter(a -> a.getName().startsWith("param_")).toList();
                List<NDArray> after = f.stream().filter(a -> a.getName().startsWith("after_")).toList();
                List<Pair<String, Parameter>> ours = net.getParameters().stream().toList();
                for (int i = 0; i < after.size(); i++) {
                    assertClose(after.get(i).getName() + " update", after.get(i).sub(before.get(i)),
                            ours.get(i).getValue().getArray().sub(before.get(i)), 1e-2);
                }
            }
        }
    }

    @Test
    void mseIsTwiceDjlsL2Loss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4});
            NDArray b = manager.create(new float[] {0, 0, 0, 1});
            float mse = new MseLoss().evaluate(new NDList(b), new NDList(a)).getFloat();
            assertEquals((1 + 4 + 9 + 9) / 4f, mse, 1e-6);
            float l2 = ai.djl.training.loss.Loss.l2Loss().evaluate(new NDList(b), new NDList(a)).getFloat();
            assertEquals(mse, 2 * l2, 1e-6);
        }
    }
}
