package io.selfsup.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.selfsup.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The queues of negatives after enqueue steps, against solo-learn's _dequeue_and_enqueue run by PyTorch
 * (scripts/fixtures/make-moco-fixtures.py): a queue of 12 keys and batches of 8, so the second step wraps around
 * the end. The write position comes from the step number alone, so a resumed run continues it. Copies only:
 * the values must be equal exactly.
 */
class KeyQueueTest {

    @Test
    void twoStepsFillTheQueueAsSoloLearnDoesWrappingAroundItsEnd() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "moco_queue");
            KeyQueue queue = new KeyQueue(2, 12, 16);
            queue.initialize(manager, DataType.FLOAT32, new Shape(8, 3, 32, 32));
            queue.parameter().getArray().set(f.get("queue0").toFloatArray());

            queue.remember(f.get("keys1").reshape(16, 16));
            queue.push(1);
            assertArrayEquals(f.get("queue1").toFloatArray(), queue.parameter().getArray().toFloatArray(), "step 1");
            queue.remember(f.get("keys2").reshape(16, 16));
            queue.push(2);
            assertArrayEquals(f.get("queue2").toFloatArray(), queue.parameter().getArray().toFloatArray(),
                    "step 2, wrapped");
            queue.push(3);
            assertArrayEquals(f.get("queue2").toFloatArray(), queue.parameter().getArray().toFloatArray(),
                    "a step without remembered keys (none trained since) writes nothing");
        }
    }

    /** Keys written one after another into a queue of 5: of a batch of 8 only the last 5 stay, each at (i mod 5). */
    @Test
    void aBatchLargerThanTheQueueLeavesItsLastKeys() {
        try (NDManager manager = NDManager.newBaseManager()) {
            KeyQueue queue = new KeyQueue(1, 5, 2);
            queue.initialize(manager, DataType.FLOAT32, new Shape(8, 3, 32, 32));
            float[] keys = new float[16];
            for (int i = 0; i < 8; i++) {
                keys[2 * i] = i;
                keys[2 * i + 1] = -i;
            }
            queue.remember(manager.create(keys, new Shape(8, 2)));
            queue.push(2); // the second step starts at 8 mod 5 = 3: keys 0..7 go to rows 3, 4, 0, 1, 2, 3, 4, 0
            NDArray expected = manager.create(new float[] {7, -7, 3, -3, 4, -4, 5, -5, 6, -6}, new Shape(1, 5, 2));
            assertArrayEquals(expected.toFloatArray(), queue.parameter().getArray().toFloatArray());
        }
    }

    /** MoCo's initial queue: unit rows drawn from the engine's seeded generator, the same for the same seed. */
    @Test
    void theQueueStartsAsRandomUnitRowsOfTheSeed() {
        float[][] drawn = new float[2][];
        for (int run = 0; run < 2; run++) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(9);
            try (NDManager manager = NDManager.newBaseManager()) {
                KeyQueue queue = new KeyQueue(2, 7, 4);
                queue.initialize(manager, DataType.FLOAT32, new Shape(8, 3, 32, 32));
                NDArray q = queue.parameter().getArray();
                float[] norms = q.norm(new int[] {2}).toFloatArray();
                for (float norm : norms) {
                    org.junit.jupiter.api.Assertions.assertEquals(1f, norm, 1e-6f);
                }
                drawn[run] = q.toFloatArray();
            }
        }
        assertArrayEquals(drawn[0], drawn[1]);
    }
}
