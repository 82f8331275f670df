package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.selfsup.SelfsupException;
import io.selfsup.StoppedException;
import io.selfsup.console.ProgressLine;
import io.selfsup.data.DataSpec;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.NpzArrays;
import io.selfsup.encode.TrainedModel;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.Moco;
import io.selfsup.nn.BackboneType;
import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightContent;
import io.selfsup.weights.WeightExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MoCo through the one training loop on the bundled CIFAR-10 subset with a tiny ResNet: a run stopped in mid-epoch
 * resumes to the very bytes of an uninterrupted run (key encoder and queues included: a queue of 40 keys and
 * batches of 32, so the writes wrap around); ssl-encode rebuilds it from config.json; ssl-export writes the
 * backbone alone or, with --all, the key encoder and the queues too; the queue is capped to an epoch's images less
 * a batch and config.json records the value trained with; a whole network whose queue does not fit is refused.
 */
class MocoTrainingTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");

    /** Batches of 32 (96 images: 3 an epoch), 2 epochs. */
    private static TrainConfig config(Path output, int queue, int limit) {
        return builder(output, queue, limit).build();
    }

    private static TrainConfigBuilder builder(Path output, int queue, int limit) {
        MethodConfig m = MethodConfig.defaults("moco", BackboneType.RESNET18, 2)
                .withSettings(new Moco.Settings(32, 16, 0.2f, queue, 0.99f, 0.999f));
        return TrainConfigBuilder.tinyRun().output(output).runsRoot(output.getParent()).epochs(2).batchSize(32)
                .seed(3).limit(limit).method(m);
    }

    private static TrainingControl control(int stopAt) {
        AtomicInteger asked = new AtomicInteger();
        return TrainingControl.defaults().withProgress(ProgressLine.Mode.OFF).withCheckpointEvery(Duration.ofNanos(1))
                .withStop(() -> asked.incrementAndGet() >= stopAt);
    }

    @Test
    void aMocoRunStoppedInMidEpochResumesToTheSameBytesAndEncodesAndExports(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        TrainingSession.run(config(straight, 40, 96), control(Integer.MAX_VALUE), r -> { });
        // asked after each of epoch 1's 3 batches, once after the epoch, then after batch 1 of epoch 2
        Path stopped = tmp.resolve("stopped");
        StoppedException e = assertThrows(StoppedException.class,
                () -> TrainingSession.run(config(stopped, 40, 96), control(5), r -> { }));
        assertTrue(e.getMessage().startsWith("stopped after batch 1 of epoch 2"), e.getMessage());
        TrainingSession.resume(ResumeRequest.of(stopped, null), control(Integer.MAX_VALUE), r -> { });
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(stopped.resolve("model.params")), "online, key encoder and queues bit for bit");
        String json = Files.readString(straight.resolve("config.json"));
        assertTrue(json.contains("\"name\": \"moco\"") && json.contains("\"queue_size\": 40"), json);

        TrainedModel model = TrainedModel.ofRun(straight);
        Path features = tmp.resolve("f.npz");
        EncodeJob.run(new EncodeConfig(model, DataSpec.of(MINI), EncodeConfig.EncodeSplit.TEST, null, 100, features,
                false));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {500, 16}, NpzArrays.read(manager, features, "features").getShape().getShape());
        }
        StateDict backbone = WeightExport.export(model, tmp.resolve("b.safetensors"), WeightContent.BACKBONE, false);
        assertTrue(backbone.tensors().containsKey("conv1.weight"));
        assertTrue(backbone.tensors().keySet().stream().noneMatch(k -> k.startsWith("queue") || k.startsWith("target")),
                "the backbone alone: " + backbone.tensors().keySet());
        StateDict all = WeightExport.export(model, tmp.resolve("a.safetensors"), WeightContent.ALL, false);
        assertArrayEquals(new long[] {2, 40, 16}, all.get("queue.keys").shape());
        assertTrue(all.tensors().containsKey("target.projector.2.weight"), all.tensors().keySet().toString());
        assertTrue(all.tensors().containsKey("online.projector.2.weight"), "Linear ReLU Linear");
        assertFalse(all.tensors().containsKey("online.projector.3.weight"), "no batch norm in MoCo's projector");
    }

    @Test
    void theQueueIsCappedToAnEpochLessABatchAndAWholeNetworkMustFitIt(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("small");
        TrainingSession.run(config(run, 32768, 64).withEpochs(1), control(Integer.MAX_VALUE), r -> { });
        String json = Files.readString(run.resolve("config.json"));
        assertTrue(json.contains("\"queue_size\": 32"), "64 images, batch 32: " + json);
        assertTrue(Files.isRegularFile(run.resolve("model.params")));

        Path whole = tmp.resolve("whole.safetensors");
        WeightExport.export(TrainedModel.ofRun(run), whole, WeightContent.ALL, false);
        // the same data: the queue fits, and the run takes the file's queue and key encoder
        TrainingSession.run(builder(tmp.resolve("again"), 32768, 64).epochs(0).initFrom(whole).build(),
                control(Integer.MAX_VALUE), r -> { });
        SelfsupException bigger = assertThrows(SelfsupException.class, () -> TrainingSession.run(
                builder(tmp.resolve("bigger"), 32768, 128).initFrom(whole).build(), control(Integer.MAX_VALUE), r -> { }));
        assertTrue(bigger.getMessage().contains("'queue.keys' has shape [2, 32, 16]"), bigger.getMessage());
        assertFalse(Files.exists(tmp.resolve("bigger")), "refused before a run directory is made");

        SelfsupException single = assertThrows(SelfsupException.class, () -> TrainingSession.run(
                config(tmp.resolve("single"), 32768, 40), control(Integer.MAX_VALUE), r -> { }));
        assertTrue(single.getMessage().contains("--batch-size 20 or less"), single.getMessage());
    }
}
