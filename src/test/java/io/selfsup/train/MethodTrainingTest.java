package io.selfsup.train;

import io.selfsup.optim.OptimizerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.selfsup.data.DataSpec;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.NpzArrays;
import io.selfsup.nn.Pooling;
import io.selfsup.encode.TrainedModel;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.Byol;
import io.selfsup.method.SimClr;
import io.selfsup.nn.BackboneType;
import io.selfsup.run.EpochResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SimCLR and BYOL through the one training loop on the bundled CIFAR-10 subset, with a tiny ResNet so the
 * suite stays fast: what a run writes, that ssl-encode rebuilds the network from config.json alone, and
 * that a resumed run (SGD momentum, cosine schedule, augmentations, BYOL's EMA target) is exact.
 */
class MethodTrainingTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");

    private static TrainConfig config(String method, Path runs, int epochs) {
        MethodConfig m = MethodConfig.defaults(method, BackboneType.RESNET18, 2);
        m = m.withSettings(method.equals("byol") ? new Byol.Settings(32, 16, 32, 0.99f) : new SimClr.Settings(32, 16, 0.5f));
        return TrainConfigBuilder.tinyRun().runsRoot(runs).epochs(epochs).batchSize(32).seed(3).limit(128).method(m)
                .build();
    }

    @Test
    void simclrWritesARunWhoseBackboneSslEncodeRebuildsFromConfigAlone(@TempDir Path tmp) throws IOException {
        List<EpochResult> epochs = new ArrayList<>();
        TrainingSession.Outcome outcome = TrainingSession.run(config("simclr", tmp, 2)
                .withOutput(tmp.resolve("run")), epochs::add);
        assertEquals(2, epochs.size());
        for (EpochResult e : epochs) {
            assertTrue(e.trainLoss() > 0 && Double.isFinite(e.trainLoss()), "NT-Xent is positive: " + e);
            assertTrue(e.testLoss() > 0, "test loss measured: " + e);
            assertTrue(e.knnAccuracy() >= 0 && e.knnAccuracy() <= 1, "kNN monitor ran on the labelled data: " + e);
        }
        Path run = outcome.run().path();
        for (String file : List.of("config.json", "metrics.csv", "model.params", "augmentations.png", "loss.svg")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        assertTrue(Files.readString(run.resolve("loss.svg")).contains("<polyline"), "loss.svg draws the losses");
        assertTrue(javax.imageio.ImageIO.read(run.resolve("augmentations.png").toFile()) != null,
                "augmentations.png is an image");
        assertFalse(Files.exists(run.resolve("reconstructions.png")), "only the autoencoder reconstructs");
        assertTrue(Files.readAllLines(run.resolve("metrics.csv")).get(0).endsWith(",knn_accuracy"));
        String json = Files.readString(run.resolve("config.json"));
        assertTrue(json.contains("\"name\": \"simclr\"") && json.contains("\"backbone\": \"resnet18\""), json);

        Path out = tmp.resolve("f.npz");
        TrainedModel model = TrainedModel.ofRun(run);
        assertEquals("simclr", model.method().id());
        EncodeJob.run(new EncodeConfig(model, DataSpec.of(MINI), EncodeConfig.EncodeSplit.TEST, null, 100, out,
                false));
        try (NDManager manager = NDManager.newBaseManager()) {
            // resnet18 at width 2: 16 channels, globally average-pooled by default
            assertArrayEquals(new long[] {500, 16}, NpzArrays.read(manager, out, "features").getShape().getShape());
            assertEquals(Pooling.AVG, BackboneType.RESNET18.defaultPooling());
        }
    }

    @Test
    void aResumedByolRunEndsWithTheSameWeightsAsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
        TrainConfig base = config("byol", tmp, 3);
        Path straight = tmp.resolve("straight");
        TrainingSession.run(base.withOutput(straight), r -> { });
        // the same run as if killed after epoch 1: its schedules (cosine lr, EMA tau) were planned for 3 epochs
        Path interrupted = tmp.resolve("interrupted");
        Files.createDirectories(interrupted.resolve("checkpoints"));
        Files.copy(straight.resolve("config.json"), interrupted.resolve("config.json"));
        for (String suffix : List.of(".params", ".optimizer")) {
            Files.copy(straight.resolve("checkpoints/epoch-0001" + suffix),
                    interrupted.resolve("checkpoints/epoch-0001" + suffix));
        }
        Files.write(interrupted.resolve("metrics.csv"), Files.readAllLines(straight.resolve("metrics.csv")).subList(0, 2));

        TrainingSession.resume(interrupted, null, r -> { });

        List<String> a = Files.readAllLines(straight.resolve("metrics.csv"));
        List<String> b = Files.readAllLines(interrupted.resolve("metrics.csv"));
        assertEquals(4, b.size(), "header + 3 epochs: " + b);
        for (int row = 1; row <= 3; row++) {
            assertEquals(a.get(row).split(",")[1], b.get(row).split(",")[1], "train loss, epoch " + row);
        }
        // the parameters file holds online network, predictor and EMA target: all must match bit for bit
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(interrupted.resolve("model.params")));
    }
}
