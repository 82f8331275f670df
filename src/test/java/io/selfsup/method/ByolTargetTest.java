package io.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * BYOL's target inside the trained network: it starts as a copy of the online network, the optimizer never
 * touches it (SGD with weight decay would), and after a step it is exactly tau * old target + (1 - tau) *
 * new online for weights, while its batch-norm running statistics come from its own forward pass.
 */
class ByolTargetTest {

    @Test
    void targetStartsAsTheOnlineNetworkAndMovesOnlyByTheEma() {
        Engine.getInstance().setRandomSeed(5);
        MethodConfig config = MethodConfig.defaults("byol", BackboneType.RESNET18, 1)
                .withSettings(new Byol.Settings(8, 4, 8, 0.9f));
        PretextMethod byol = config.create();
        ByolNetwork net = (ByolNetwork) byol.network();
        try (Model model = Model.newInstance("byol")) {
            model.setBlock(net);
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(byol.loss())
                    .optOptimizer(OptimizerConfig.defaults(OptimizerConfig.Type.SGD, 4).create()));
            trainer.initialize(byol.inputShapes(4));
            byol.afterInitialize();
            Map<String, float[]> online0 = weights(net, "01online");
            Map<String, float[]> target0 = weights(net, "03target");
            assertEquals(online0.keySet(), target0.keySet());
            online0.forEach((k, v) -> assertArrayEquals(v, target0.get(k), k));
            assertTrue(net.getParameters().stream().filter(p -> p.getKey().startsWith("03target"))
                    .noneMatch(p -> p.getValue().requiresGradient()), "target parameters are frozen");

            NDManager m = trainer.getManager();
            NDList views = new NDList(m.randomNormal(new Shape(4, 3, 32, 32)), m.randomNormal(new Shape(4, 3, 32, 32)));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                collector.backward(trainer.getLoss().evaluate(views, trainer.forward(views)));
            }
            trainer.step();
            Map<String, float[]> online1 = weights(net, "01online");
            assertFalse(java.util.Arrays.equals(online0.values().iterator().next(), online1.values().iterator().next()),
                    "the online network learned");
            Map<String, float[]> afterStep = weights(net, "03target");
            // running statistics change with the target's own forward pass; the weights must not change
            target0.entrySet().stream().filter(e -> !isRunningStatistic(e.getKey()))
                    .forEach(e -> assertArrayEquals(e.getValue(), afterStep.get(e.getKey()), e.getKey() + " untouched by SGD"));

            byol.afterStep(1, 10);
            double tau = MomentumTarget.tau(0.9, 1, 10);
            Map<String, float[]> target1 = weights(net, "03target");
            for (String k : target1.keySet()) {
                if (isRunningStatistic(k)) {
                    continue;
                }
                float[] expected = new float[online1.get(k).length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = (float) (tau * target0.get(k)[i] + (1 - tau) * online1.get(k)[i]);
                }
                assertArrayEquals(expected, target1.get(k), 1e-6f, k);
            }
        }
    }

    /** Parameters under a child of the network, keyed by the name after that prefix. */
    private static Map<String, float[]> weights(ByolNetwork net, String prefix) {
        return net.getParameters().stream().filter(p -> p.getKey().startsWith(prefix))
                .collect(Collectors.toMap(p -> p.getKey().substring(prefix.length()),
                        p -> p.getValue().getArray().toFloatArray(), (a, b) -> a, java.util.TreeMap::new));
    }

    private static boolean isRunningStatistic(String name) {
        return name.endsWith("runningMean") || name.endsWith("runningVar");
    }
}
