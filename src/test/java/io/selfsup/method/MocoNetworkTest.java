package io.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.selfsup.SelfsupException;
import io.selfsup.nn.BackboneType;
import io.selfsup.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;

/**
 * MoCo's queues and key encoder inside the trained network: neither requires a gradient, the optimizer (SGD with
 * weight decay, which would move them) leaves the queues alone, an inference pass (the test loss) enqueues nothing,
 * and after a training step the queues hold that step's keys at the front; the key encoder sees the global views
 * only (local views after them are queries alone). And the queue's bound on small data.
 */
class MocoNetworkTest {

    @Test
    void onlyATrainingStepEnqueuesItsKeysAndTheOptimizerNeverTouchesTheQueue() {
        Engine.getInstance().setRandomSeed(5);
        MethodConfig config = MethodConfig.defaults("moco", BackboneType.RESNET18, 1)
                .withSettings(new Moco.Settings(8, 4, 0.2f, 10, 0.9f, 0.99f));
        PretextMethod moco = config.create();
        MocoNetwork net = (MocoNetwork) moco.network();
        try (Model model = Model.newInstance("moco")) {
            model.setBlock(net);
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(moco.loss())
                    .optOptimizer(OptimizerConfig.defaults(OptimizerConfig.Type.SGD, 4).create()));
            trainer.initialize(moco.inputShapes(4));
            moco.afterInitialize();
            assertFalse(net.queue().parameter().requiresGradient(), "the queue is no trained parameter");
            assertTrue(net.getParameters().stream().filter(p -> p.getKey().startsWith("02target"))
                    .noneMatch(p -> p.getValue().requiresGradient()), "the key encoder is frozen");
            NDArray queue = net.queue().parameter().getArray();
            float[] queue0 = queue.toFloatArray();

            NDManager m = trainer.getManager();
            NDList views = new NDList(m.randomNormal(new Shape(4, 3, 32, 32)), m.randomNormal(new Shape(4, 3, 32, 32)));
            NDList evaluated = trainer.evaluate(views);
            trainer.getLoss().evaluate(views, evaluated);
            moco.afterStep(1, 10);
            assertArrayEquals(queue0, queue.toFloatArray(), "an inference pass leaves the queue alone");

            NDArray keys;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList outputs = trainer.forward(views);
                keys = outputs.get(1).duplicate();
                collector.backward(trainer.getLoss().evaluate(views, outputs));
            }
            trainer.step();
            assertArrayEquals(queue0, queue.toFloatArray(), "the optimizer step leaves the queue alone");
            moco.afterStep(1, 10);
            float[] expected = queue0.clone();
            for (int v = 0; v < 2; v++) {
                float[] k = keys.get(new NDIndex("{}:{}", 4 * v, 4 * v + 4)).toFloatArray();
                System.arraycopy(k, 0, expected, v * 10 * 4, k.length);
            }
            assertArrayEquals(expected, queue.toFloatArray(), "step 1's keys of view v at the front of queue v");

            // two local views of 16 pixels: queries of four views, keys of the two global ones
            NDList four = new NDList(views.get(0), views.get(1), m.randomNormal(new Shape(4, 3, 16, 16)),
                    m.randomNormal(new Shape(4, 3, 16, 16)));
            NDList outputs = trainer.evaluate(four);
            assertEquals(new Shape(16, 4), outputs.get(0).getShape(), "queries of every view");
            assertEquals(new Shape(8, 4), outputs.get(1).getShape(), "keys of the global views");
            assertEquals(0, trainer.getLoss().evaluate(four, outputs).getShape().dimension());
        }
    }

    @Test
    void theQueueHoldsAtMostAnEpochLessABatchAndAOneBatchEpochIsRefused() {
        Moco moco = new Moco();
        Moco.Settings s = (Moco.Settings) moco.defaultSettings();
        assertEquals(32768, s.queueSize());
        assertEquals(49664, ((Moco.Settings) moco.fitToData(s.withQueueSize(65536), 50000, 256)).queueSize(),
                "CIFAR-10 at batch 256");
        assertEquals(s, moco.fitToData(s, 50000, 256), "CIFAR-10 keeps solo-learn's 32768");
        assertEquals(512, ((Moco.Settings) moco.fitToData(s, 1000, 256)).queueSize(), "cifar10-mini: 3 batches");
        assertThrows(SelfsupException.class, () -> moco.fitToData(s, 500, 256), "1 batch of 256 an epoch");
        SelfsupException e = assertThrows(SelfsupException.class, () -> moco.fitToData(s, 300, 256));
        assertTrue(e.getMessage().contains("--batch-size 150 or less"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.withQueueSize(0));
    }
}
