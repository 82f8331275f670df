package io.selfsup.train;

import static io.selfsup.train.ReplicatedStepTest.assertCloseInNorm;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.selfsup.data.DataSources;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.method.PretextMethod;
import io.selfsup.run.CheckpointStore;
import io.selfsup.run.ParameterFiles;
import io.selfsup.run.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop on two CPU replicas, as it runs on two GPUs: the autoencoder (no batch norm) ends two epochs
 * with the weights one replica reaches, and a run checkpointed by two replicas and resumed on one ends there too,
 * through the run directory's real checkpoint and optimizer-state files.
 */
class DataParallelTrainingTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");
    private static final Device[] ONE = {Device.cpu()};
    private static final Device[] TWO = {Device.cpu(), Device.cpu()};
    /** Relative to a weight's change, in norm: Adam and float32 summation order, as in ReplicatedStepTest. */
    private static final double TOLERANCE = ReplicatedStepTest.ADAM_TOLERANCE;

    private static TrainConfig config(int epochs) {
        return TrainConfigBuilder.tinyRun().epochs(epochs).batchSize(32).seed(7).limit(64).build();
    }

    @Test
    void twoReplicasTrainAndResumeOnOneLikeOneReplica(@TempDir Path tmp) {
        ImageStore images = DataSources.open(MINI).load(Split.TRAIN).first(64);
        RunDirectory one = train(tmp.resolve("one"), ONE, images, 2);
        RunDirectory two = train(tmp.resolve("two"), TWO, images, 2);
        RunDirectory resumed = train(tmp.resolve("resumed"), TWO, images, 1);
        new TrainingLoop(config(2), ONE).train(images, null, resumed,
                resumed.checkpoints().newestIntact().orElseThrow(), TrainingControl.defaults(), r -> { });

        PretextMethod method = config(2).method().create();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> initial = weights(method.network(), manager,
                    one.checkpoints().epochFile(1, CheckpointStore.PARAMS_SUFFIX));
            // the change over epoch 2 of the one-replica run is the scale the differences are measured against
            List<NDArray> expected = weights(config(2).method().create().network(), manager, one.newestModel());
            List<NDArray> onTwo = weights(config(2).method().create().network(), manager, two.newestModel());
            List<NDArray> resumedOnOne = weights(config(2).method().create().network(), manager,
                    resumed.newestModel());
            for (int i = 0; i < expected.size(); i++) {
                NDArray update = expected.get(i).sub(initial.get(i));
                assertCloseInNorm("weight " + i + ", two replicas", update, onTwo.get(i).sub(initial.get(i)),
                        TOLERANCE);
                assertCloseInNorm("weight " + i + ", resumed on one replica", update,
                        resumedOnOne.get(i).sub(initial.get(i)), TOLERANCE);
            }
        }
    }

    private static RunDirectory train(Path dir, Device[] devices, ImageStore images, int epochs) {
        RunDirectory run = RunDirectory.create(dir, null);
        new TrainingLoop(config(epochs), devices).train(images, null, run, null, TrainingControl.defaults(), r -> { });
        return run;
    }

    private static List<NDArray> weights(Block network, NDManager manager, Path file) {
        network.initialize(manager, DataType.FLOAT32, config(1).method().create().inputShapes(1));
        ParameterFiles.read(file, network, manager);
        return network.getParameters().values().stream().map(Parameter::getArray).toList();
    }
}
