package io.selfsup.optim;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.selfsup.method.MseLoss;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.selfsup.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TorchSgd against torch.optim.SGD(momentum 0.9, weight_decay 5e-4) with the learning rate changed every step, and
 * with LARS scaling against solo-learn's LARS (scripts/fixtures/make-lars-fixtures.py).
 */
class TorchSgdTest {

    private static final List<String> IDS = List.of("weight", "bias");

    /**
     * PyTorch's gradients fed to update(): the weights after each of three steps equal PyTorch's to 1e-6 of their
     * magnitude. DJL's Sgd keeps lr inside the momentum buffer and fails this once lr changes.
     */
    @Test
    void threeStepsMatchPyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_sgd");
            TorchSgd sgd = sgd(f);
            NDArray[] weights = {f.get("weight").duplicate(), f.get("bias").duplicate()};
            for (int step = 0; step < 3; step++) {
                step(sgd, f, weights, step);
                assertClose("weight after step " + step, f.get("weight_" + step), weights[0], 1e-6);
                assertClose("bias after step " + step, f.get("bias_" + step), weights[1], 1e-6);
            }
        }
    }

    /**
     * Through DJL's Trainer, with gradients from DJL's own backward: the same weights as PyTorch, which also shows
     * that each step clears the gradient (DJL's PyTorch GradientCollector does not; accumulated gradients would
     * drift by a whole step's gradient). 1e-5: the forward and backward are DJL's now, not PyTorch's recorded ones.
     */
    @Test
    void threeTrainerStepsMatchPyTorch() {
        Linear linear = Linear.builder().setUnits(3).build();
        try (Model model = Model.newInstance("sgd");
             NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(linear);
            NDList f = Fixtures.load(manager, "objective_sgd");
            TorchSgd sgd = sgd(f);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(new MseLoss()).optOptimizer(sgd))) {
                NDArray xs = f.get("x");
                NDArray ys = f.get("y");
                trainer.initialize(xs.getShape());
                List<Parameter> parameters = linear.getParameters().values();
                parameters.get(0).getArray().set(f.get("weight").toFloatArray());
                parameters.get(1).getArray().set(f.get("bias").toFloatArray());
                float[] lrs = f.get("lrs").toFloatArray();
                for (int step = 0; step < 3; step++) {
                    sgd.setLearningRate(lrs[step]);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray out = trainer.forward(new NDList(xs)).singletonOrThrow();
                        collector.backward(trainer.getLoss().evaluate(new NDList(ys), new NDList(out)));
                    }
                    trainer.step();
                    assertClose("weight after step " + step, f.get("weight_" + step), parameters.get(0).getArray(), 1e-5);
                    assertClose("bias after step " + step, f.get("bias_" + step), parameters.get(1).getArray(), 1e-5);
                }
            }
        }
    }

    /**
     * LARS (eta 0.02, weight decay 1e-4) for three steps whose rates put the Linear weight's scale below 1 (0.06,
     * 0.51) and at 1: the Linear weight (scaled and decayed), its bias (one dimension: plain gradient, no decay) and
     * a weight that starts at zero (norm 0: unscaled at the first step) equal PyTorch's to 1e-6 after every step.
     */
    @Test
    void larsThreeStepsMatchSoloLearnsLars() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_lars");
            float[] lrs = f.get("lrs").toFloatArray();
            TorchSgd lars = TorchSgd.builder().optLearningRate(lrs[0]).optMomentum(0.9f).optWeightDecay(1e-4f)
                    .optLars(0.02f).build();
            List<String> names = List.of("weight", "bias", "zero");
            NDArray[] tensors = names.stream().map(n -> f.get(n).duplicate()).toArray(NDArray[]::new);
            for (int step = 0; step < 3; step++) {
                lars.setLearningRate(lrs[step]);
                for (int i = 0; i < names.size(); i++) {
                    lars.update(names.get(i), tensors[i], f.get("grad_" + names.get(i) + "_" + step));
                }
                for (int i = 0; i < names.size(); i++) {
                    assertClose(names.get(i) + " after step " + step, f.get(names.get(i) + "_" + step), tensors[i],
                            1e-6);
                }
            }
            float[] firstZeroStep = f.get("grad_zero_0").mul(-lrs[0]).toFloatArray();
            assertArrayEquals(firstZeroStep, f.get("zero_0").toFloatArray(), 1e-7f,
                    "the fixture's zero weight took the plain first step");
            assertEquals(1f, f.get("scale_2").getFloat(), "the fixture's last step is unclipped");
        }
    }

    /**
     * Two steps, save, load into a fresh optimizer, third step: bit for bit what the uninterrupted optimizer does.
     * A parameter never stepped has no buffer; it is saved as absent and stays absent.
     */
    @Test
    void savedStateContinuesIdentically() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_sgd");
            TorchSgd uninterrupted = sgd(f);
            NDArray[] weights = {f.get("weight").duplicate(), f.get("bias").duplicate()};
            step(uninterrupted, f, weights, 0);
            step(uninterrupted, f, weights, 1);
            List<String> ids = List.of("weight", "bias", "never-stepped");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            uninterrupted.saveState(new DataOutputStream(bytes), ids);

            TorchSgd resumed = sgd(f);
            resumed.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), ids, manager);
            NDArray[] resumedWeights = {weights[0].duplicate(), weights[1].duplicate()};
            step(uninterrupted, f, weights, 2);
            step(resumed, f, resumedWeights, 2);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(weights[i].toFloatArray(), resumedWeights[i].toFloatArray(), IDS.get(i));
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            resumed.saveState(new DataOutputStream(again), ids);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(again.toByteArray()));
            TorchSgd check = sgd(f);
            check.loadState(in, ids, manager);
            assertEquals(0, in.available(), "the absent buffer is written as absent and read as absent");
        }
    }

    /**
     * After a warm-up step, 200 more leave the number of arrays in the weights' manager and in the engine's system
     * manager (where results of ops on the optimizer's detached buffers would land) unchanged.
     */
    @Test
    void stepsLeakNoArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.randomNormal(new Shape(16, 8));
            TorchSgd sgd = TorchSgd.builder().optLearningRate(0.1f).optMomentum(0.9f).optWeightDecay(5e-4f)
                    .optClipGrad(1f).setRescaleGrad(0.5f).build();
            NDManager system = systemManager(manager);
            stepWithFreshGradient(sgd, manager, weight);
            int inManager = manager.getManagedArrays().size();
            int inSystem = system.getManagedArrays().size();
            for (int i = 0; i < 200; i++) {
                stepWithFreshGradient(sgd, manager, weight);
            }
            assertEquals(inManager, manager.getManagedArrays().size(), "arrays in the weights' manager");
            assertEquals(inSystem, system.getManagedArrays().size(), "arrays in the system manager");
        }
    }

    /** The engine's system manager is not public; a detached array reports it as its manager. */
    private static NDManager systemManager(NDManager manager) {
        NDArray probe = manager.zeros(new Shape(1));
        probe.detach();
        NDManager system = probe.getManager();
        probe.close();
        return system;
    }

    private static void stepWithFreshGradient(TorchSgd sgd, NDManager manager, NDArray weight) {
        try (NDManager batch = manager.newSubManager()) {
            sgd.update("w", weight, batch.randomNormal(weight.getShape()));
        }
    }

    private static TorchSgd sgd(NDList f) {
        return TorchSgd.builder().optLearningRate(f.get("lrs").toFloatArray()[0]).optMomentum(0.9f)
                .optWeightDecay(5e-4f).build();
    }

    private static void step(TorchSgd sgd, NDList f, NDArray[] weights, int step) {
        sgd.setLearningRate(f.get("lrs").toFloatArray()[step]);
        sgd.update("weight", weights[0], f.get("grad_weight_" + step));
        sgd.update("bias", weights[1], f.get("grad_bias_" + step));
    }
}
