package io.selfsup.method;

import static io.selfsup.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.selfsup.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The momentum (EMA) target BYOL trains with, through the one class production calls ({@link MomentumTarget}),
 * on blocks whose target is frozen as BYOL's is: its update against solo-learn's formula run by PyTorch, what it
 * leaves alone, and its tau schedule.
 */
class MomentumTargetTest {

    /** The fixture's tensors as the weights of a block (shapes (4, 3), (7), (2, 3, 2, 2)). */
    private static final class Weights extends AbstractBlock {
        Weights() {
            for (Shape s : List.of(new Shape(4, 3), new Shape(7), new Shape(2, 3, 2, 2))) {
                addParameter(Parameter.builder().setName("w" + s.dimension()).setType(Parameter.Type.WEIGHT)
                        .optShape(s).optInitializer(Initializer.ZEROS).build());
            }
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            return inputs;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /** Same weights after the update as PyTorch's tau * t + (1 - tau) * o, to float32 rounding (1e-6). */
    @Test
    void updateOfAFrozenTargetMatchesPyTorch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList f = Fixtures.load(manager, "objective_ema");
            Block online = new Weights();
            Block target = new Weights();
            MomentumTarget momentum = new MomentumTarget(online, target, 0.99);
            online.initialize(manager, DataType.FLOAT32, new Shape(1));
            target.initialize(manager, DataType.FLOAT32, new Shape(1));
            List<Parameter> o = online.getParameters().values();
            List<Parameter> t = target.getParameters().values();
            for (int i = 0; i < 3; i++) {
                o.get(i).getArray().set(f.get("online_" + i).toFloatArray());
                t.get(i).getArray().set(f.get("target_" + i).toFloatArray());
            }
            assertFalse(t.get(0).requiresGradient(), "the target is frozen, as BYOL's");
            int before = manager.getManagedArrays().size();
            momentum.update(f.get("tau").getDouble());
            assertEquals(before, manager.getManagedArrays().size(), "no temporaries left in the arrays' manager");
            for (int i = 0; i < 3; i++) {
                assertClose("target " + i, f.get("after_" + i), t.get(i).getArray(), 1e-6);
            }
        }
    }

    /**
     * Only weights move (solo-learn's MomentumUpdater averages parameters(), not buffers): the target's batch-norm
     * running mean and variance stay its own; copyOnlineToTarget copies everything, statistics included.
     */
    @Test
    void updateLeavesTheTargetsRunningStatisticsAloneAndTheStartCopiesThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block online = projector(manager);
            Block target = projector(manager);
            MomentumTarget momentum = new MomentumTarget(online, target, 0.99);
            List<Parameter> targetParameters = target.getParameters().values();
            List<Parameter> onlineParameters = online.getParameters().values();
            for (Parameter p : targetParameters) {
                p.getArray().muli(0).addi(3);
            }
            momentum.update(0.5);
            for (int i = 0; i < targetParameters.size(); i++) {
                Parameter t = targetParameters.get(i);
                boolean statistic = t.getType() == Parameter.Type.RUNNING_MEAN
                        || t.getType() == Parameter.Type.RUNNING_VAR;
                float[] expected = statistic ? manager.full(t.getArray().getShape(), 3f).toFloatArray()
                        : onlineParameters.get(i).getArray().add(3).div(2).toFloatArray();
                assertArrayEquals(expected, t.getArray().toFloatArray(), 1e-6f, t.getName());
            }
            momentum.copyOnlineToTarget();
            for (int i = 0; i < targetParameters.size(); i++) {
                assertArrayEquals(onlineParameters.get(i).getArray().toFloatArray(),
                        targetParameters.get(i).getArray().toFloatArray(), targetParameters.get(i).getName());
            }
        }
    }

    /** solo-learn's cosine increase: base at step 0, halfway at the middle, 1 at the end. */
    @Test
    void tauRisesFromBaseToOne() {
        assertEquals(0.99, MomentumTarget.tau(0.99, 0, 1000), 1e-15);
        assertEquals(0.995, MomentumTarget.tau(0.99, 500, 1000), 1e-15);
        assertEquals(1.0, MomentumTarget.tau(0.99, 1000, 1000), 1e-15);
        assertEquals(1 - 0.01 * (Math.cos(Math.PI * 0.25) + 1) / 2, MomentumTarget.tau(0.99, 250, 1000), 1e-15);
    }

    private static Block projector(NDManager manager) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(4).build())
                .add(BatchNorm.builder().build());
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
        // distinct running statistics, so that a copy is told from an update
        for (Parameter p : block.getParameters().values()) {
            if (p.getType() == Parameter.Type.RUNNING_MEAN) {
                p.getArray().addi(0.25f);
            }
        }
        return block;
    }
}
