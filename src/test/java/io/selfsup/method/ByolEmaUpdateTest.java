package io.selfsup.method;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.selfsup.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The target network's momentum update and tau schedule, against solo-learn's formulas run by PyTorch. */
class ByolEmaUpdateTest {

    /** Same arrays after the update as PyTorch's tau * t + (1 - tau) * o, to float32 rounding (1e-6). */
    @Test
    void updateMatchesPyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_ema");
            List<NDArray> online = new ArrayList<>();
            List<NDArray> target = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                online.add(f.get("online_" + i));
                target.add(f.get("target_" + i));
            }
            int before = manager.getManagedArrays().size();
            EmaUpdate.update(online, target, f.get("tau").getDouble());
            assertEquals(before, manager.getManagedArrays().size(), "no temporaries left in the arrays' manager");
            for (int i = 0; i < 3; i++) {
                assertClose("target " + i, f.get("after_" + i), target.get(i), 1e-6);
            }
        }
    }

    /**
     * Over blocks, only trainable parameters move (solo-learn's MomentumUpdater averages parameters(), not buffers):
     * the target's batch-norm running mean and variance stay its own.
     */
    @Test
    void blockUpdateLeavesRunningStatisticsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block online = projector(manager);
            Block target = projector(manager);
            List<Parameter> targetParameters = target.getParameters().values();
            for (Parameter p : targetParameters) {
                p.getArray().muli(0).addi(3);
            }
            EmaUpdate.update(online, target, 0.5);
            List<Parameter> onlineParameters = online.getParameters().values();
            for (int i = 0; i < targetParameters.size(); i++) {
                Parameter t = targetParameters.get(i);
                float[] expected = t.requiresGradient()
                        ? onlineParameters.get(i).getArray().add(3).div(2).toFloatArray()
                        : manager.full(t.getArray().getShape(), 3f).toFloatArray();
                assertArrayEquals(expected, t.getArray().toFloatArray(), 1e-6f, t.getName());
            }
        }
    }

    /** solo-learn's cosine increase: base at step 0, halfway at the middle, 1 at the end. */
    @Test
    void tauRisesFromBaseToOne() {
        assertEquals(0.99, EmaUpdate.tau(0.99, 0, 1000), 1e-15);
        assertEquals(0.995, EmaUpdate.tau(0.99, 500, 1000), 1e-15);
        assertEquals(1.0, EmaUpdate.tau(0.99, 1000, 1000), 1e-15);
        assertEquals(1 - 0.01 * (Math.cos(Math.PI * 0.25) + 1) / 2, EmaUpdate.tau(0.99, 250, 1000), 1e-15);
    }

    private static Block projector(NDManager manager) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(BatchNorm.builder().build());
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
        return block;
    }
}
