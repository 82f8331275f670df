package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.selfsup.SelfsupException;
import org.junit.jupiter.api.Test;

/** A non-finite loss: one batch is skipped, a streak or a non-finite parameter stops the run with a message. */
class DivergenceGuardTest {

    private static Block linear(NDManager manager) {
        Block block = Linear.builder().setUnits(2).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
        return block;
    }

    @Test
    void aSingleBadBatchIsSkippedAndAStreakStops() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = linear(manager);
            NDList views = new NDList(manager.ones(new Shape(1, 3)));
            DivergenceGuard guard = new DivergenceGuard(2, net);
            assertDoesNotThrow(() -> guard.skip(0, Double.NaN, views));
            guard.passed();
            assertDoesNotThrow(() -> guard.skip(64, Double.NaN, views));
            assertDoesNotThrow(() -> guard.skip(128, Double.NaN, views));
            SelfsupException e = assertThrows(SelfsupException.class, () -> guard.skip(192, Double.NaN, views));
            assertTrue(e.getMessage().contains("3 batches in a row") && e.getMessage().contains("--lr"), e.getMessage());
        }
    }

    @Test
    void aNonFiniteParameterStopsAtOnceAndIsNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = linear(manager);
            net.getParameters().get("weight").getArray().set(new float[] {Float.NaN, 0, 0, 0, 0, 0});
            SelfsupException e = assertThrows(SelfsupException.class,
                    () -> new DivergenceGuard(1, net).skip(0, Double.NaN, new NDList(manager.ones(new Shape(1, 3)))));
            assertTrue(e.getMessage().contains("parameter weight"), e.getMessage());
        }
    }
}
