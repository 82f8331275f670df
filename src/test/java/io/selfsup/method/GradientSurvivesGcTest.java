package io.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The losses' gradients do not depend on the garbage collector. DJL's div(Number) and its kin wrap the number
 * in a tensor over a direct buffer that becomes unreachable while autograd still holds it; a collection
 * between forward and backward then frees it and the backward reads reused memory (io.selfsup.nn.Scalars).
 * Here a collection and a burst of small direct buffers, each filled with 1e30, run between the forward and
 * the backward: with DJL's div(temperature) the NT-Xent gradient came out wrong every time.
 */
class GradientSurvivesGcTest {

    @Test
    void ntXentGradientIsTheSameWithACollectionBeforeBackward() throws InterruptedException {
        assertSameGradients((z1, z2) -> NtXentLoss.ntXent(z1, z2, 0.5f));
    }

    @Test
    void byolGradientIsTheSameWithACollectionBeforeBackward() throws InterruptedException {
        assertSameGradients(ByolLoss::loss);
    }

    private static void assertSameGradients(BiFunction<NDArray, NDArray, NDArray> loss) throws InterruptedException {
        float[] quiet = gradient(loss, false);
        for (int round = 0; round < 3; round++) {
            assertArrayEquals(quiet, gradient(loss, true), 1e-6f, "round " + round);
        }
    }

    private static float[] gradient(BiFunction<NDArray, NDArray, NDArray> loss, boolean collect)
            throws InterruptedException {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray z1 = manager.randomNormal(new Shape(8, 16));
            NDArray z2 = manager.randomNormal(new Shape(8, 16));
            z1.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray value = loss.apply(z1, z2);
                if (collect) {
                    System.gc();
                    Thread.sleep(50);
                    List<ByteBuffer> churn = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        churn.add(ByteBuffer.allocateDirect(4).putFloat(0, 1e30f));
                    }
                }
                collector.backward(value);
            }
            return z1.getGradient().toFloatArray();
        }
    }
}
