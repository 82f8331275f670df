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
import io.selfsup.method.Vicreg;
import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightContent;
import io.selfsup.weights.WeightExport;
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
 * SimCLR, BYOL and VICReg through the one training loop on the bundled CIFAR-10 subset, with a tiny ResNet so the
 * suite stays fast: what a run writes, that ssl-encode rebuilds the network from config.json alone, that a
 * resumed run (SGD momentum, cosine schedule, augmentations, BYOL's EMA target) is exact, and that a run exports.
 */
class MethodTrainingTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");

    private static TrainConfig config(String method, Path runs, int epochs) {
        MethodConfig m = MethodConfig.defaults(method, BackboneType.RESNET18, 2);
        m = m.withSettings(switch (method) {
            case "byol" -> new Byol.Settings(32, 16, 32, 0.99f);
            case "vicreg" -> new Vicreg.Settings(32, 16, 25f, 25f, 1f);
            default -> new SimClr.Settings(32, 16, 0.5f);
        });
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
        Path straight = tmp.resolve("straight");
        TrainingSession.run(config("byol", tmp, 3).withOutput(straight), r -> { });
        // the parameters file holds online network, predictor and EMA target: all must match bit for bit
        assertResumeAfterEpochOneIsExact(straight, tmp.resolve("interrupted"));
    }

    /**
     * VICReg trains (a finite, positive loss each epoch, lower after 3 epochs than after 1), resumes exactly, encodes from config.json alone and exports
     * its backbone under torchvision's names and its whole network with the 3-layer projector under solo-learn's
     * module names (projector.0, .1 and .3, .4 the batch norms, .6 the last Linear).
     */
    @Test
    void vicregTrainsResumesExactlyEncodesAndExports(@TempDir Path tmp) throws IOException {
        List<EpochResult> epochs = new ArrayList<>();
        Path straight = tmp.resolve("straight");
        TrainingSession.run(config("vicreg", tmp, 3).withOutput(straight), epochs::add);
        assertEquals(3, epochs.size());
        for (EpochResult e : epochs) {
            assertTrue(e.trainLoss() > 0 && Double.isFinite(e.trainLoss()), "VICReg's loss is positive: " + e);
        }
        assertTrue(epochs.get(2).trainLoss() < epochs.get(0).trainLoss(), "the loss falls: " + epochs);
        String json = Files.readString(straight.resolve("config.json"));
        assertTrue(json.contains("\"name\": \"vicreg\"") && json.contains("\"invariance_weight\": 25.0"), json);
        Path resumed = tmp.resolve("interrupted");
        assertResumeAfterEpochOneIsExact(straight, resumed);

        TrainedModel model = TrainedModel.ofRun(resumed);
        assertEquals("vicreg", model.method().id());
        Path features = tmp.resolve("f.npz");
        EncodeJob.run(new EncodeConfig(model, DataSpec.of(MINI), EncodeConfig.EncodeSplit.TEST, null, 100, features,
                false));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {500, 16}, NpzArrays.read(manager, features, "features").getShape().getShape());
        }
        StateDict backbone = WeightExport.export(model, tmp.resolve("backbone.safetensors"), WeightContent.BACKBONE,
                false);
        assertArrayEquals(new long[] {2, 3, 3, 3}, backbone.get("conv1.weight").shape(), "torchvision's names");
        StateDict all = WeightExport.export(model, tmp.resolve("all.safetensors"), WeightContent.ALL, false);
        assertArrayEquals(new long[] {32, 16}, all.get("projector.0.weight").shape());
        assertArrayEquals(new long[] {32}, all.get("projector.4.running_var").shape());
        assertArrayEquals(new long[] {32, 32}, all.get("projector.3.weight").shape());
        assertArrayEquals(new long[] {16, 32}, all.get("projector.6.weight").shape());
        assertArrayEquals(new long[] {16}, all.get("projector.6.bias").shape());
        assertFalse(all.has("projector.7.weight"), "three Linear layers, no norm after the last");
    }

    /**
     * Resumes a copy of {@code straight} (a 3-epoch run) as if it had been killed after epoch 1, its schedules
     * planned for 3 epochs, and checks that it ends with the same losses and the same model.params byte for byte.
     */
    private static void assertResumeAfterEpochOneIsExact(Path straight, Path interrupted) throws IOException {
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
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(interrupted.resolve("model.params")));
    }
}
