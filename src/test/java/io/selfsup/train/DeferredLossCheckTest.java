package io.selfsup.train;

import io.selfsup.optim.OptimizerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.selfsup.SelfsupException;
import io.selfsup.data.DataSources;
import io.selfsup.data.ImageStore;
import io.selfsup.data.Split;
import io.selfsup.run.CheckpointStore;
import io.selfsup.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU's way of checking the loss (nothing waits for the device batch by batch; the running loss is checked
 * when it is read), run on the CPU: with finite losses it trains exactly as the batch-by-batch check does, and a
 * loss that stops being finite ends the run before any checkpoint is written from the spoiled parameters.
 */
class DeferredLossCheckTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");
    private static final Device[] CPU = {Device.cpu()};

    private static TrainConfig config(float learningRate) {
        OptimizerConfig o = TrainConfig.defaults().optimizer();
        OptimizerConfig optimizer = new OptimizerConfig(o.type(), learningRate, o.momentum(), o.weightDecay(), o.larsEta(),
                o.warmupEpochs(), o.cosine());
        return TrainConfigBuilder.tinyRun().epochs(2).batchSize(32).seed(7).limit(64).optimizer(optimizer).build();
    }

    private static TrainingControl quiet() {
        TrainingControl d = TrainingControl.defaults();
        return new TrainingControl(d.stopRequested(), d.onTrainingStarted(), Duration.ZERO, d.progress(), d.launched());
    }

    @Test
    void deferredChecksTrainExactlyAsBatchByBatchChecks(@TempDir Path tmp) throws IOException {
        ImageStore images = DataSources.open(MINI).load(Split.TRAIN).first(64);
        RunDirectory checked = RunDirectory.create(tmp.resolve("checked"), null);
        new TrainingLoop(config(1e-3f), CPU, false).train(images, null, checked, null, quiet(), r -> { });
        RunDirectory deferred = RunDirectory.create(tmp.resolve("deferred"), null);
        new TrainingLoop(config(1e-3f), CPU, true).train(images, null, deferred, null, quiet(), r -> { });
        assertArrayEquals(Files.readAllBytes(checked.newestModel()), Files.readAllBytes(deferred.newestModel()));
    }

    @Test
    void aLossThatStopsBeingFiniteEndsTheRunBeforeACheckpointOfSpoiledParameters(@TempDir Path tmp) {
        ImageStore images = DataSources.open(MINI).load(Split.TRAIN).first(64);
        RunDirectory run = RunDirectory.create(tmp.resolve("run"), null);
        SelfsupException e = assertThrows(SelfsupException.class, () -> new TrainingLoop(config(1e30f), CPU, true)
                .train(images, null, run, null, quiet(), r -> { }));
        assertTrue(e.getMessage().contains("stopped being finite") && e.getMessage().contains("--resume"),
                e.getMessage());
        assertFalse(Files.exists(run.checkpoints().epochFile(1, CheckpointStore.PARAMS_SUFFIX)),
                "no checkpoint of epoch 1");
        assertFalse(run.hasFinalModel());
    }
}
