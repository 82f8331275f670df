package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.SelfsupException;
import io.selfsup.nn.Autoencoder;
import io.selfsup.run.EpochResult;
import io.selfsup.run.ParameterFiles;
import io.selfsup.run.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the library: ssl-train --data data/cifar10-mini --epochs 2. */
class TrainingSessionTest {

    @Test
    void trainsTheBundledSubsetAndWritesTheRun(@TempDir Path tmp) throws IOException {
        TrainConfig config = TrainConfig.defaults().withData(Path.of("data", "cifar10-mini")).withEpochs(2)
                .withOutput(tmp.resolve("run"));
        List<EpochResult> printed = new ArrayList<>();
        TrainingSession.Outcome outcome = TrainingSession.run(config, printed::add);

        assertEquals(2, printed.size());
        EpochResult first = printed.get(0);
        EpochResult second = printed.get(1);
        assertTrue(second.trainLoss() < first.trainLoss(), "train loss fell: " + printed);
        assertTrue(second.testLoss() < first.testLoss(), "test loss fell: " + printed);
        assertTrue(first.consoleLine().startsWith("Epoch [1/2], Loss: "), first.consoleLine());

        Path run = outcome.run().path();
        assertTrue(Files.isRegularFile(run.resolve("model.params")));
        assertTrue(javax.imageio.ImageIO.read(run.resolve("reconstructions.png").toFile()).getWidth() > 256);
        assertTrue(Files.readString(run.resolve("loss.svg")).contains("<polyline"));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/epoch-0002.optimizer")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/epoch-0001.params")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/epoch-0002.params")));
        try (var files = Files.list(run.resolve("checkpoints"))) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left");
        }
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(EpochResult.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        assertTrue(csv.get(2).startsWith("2,"), csv.get(2));
        String config0 = Files.readString(run.resolve("config.json"));
        assertTrue(config0.contains("\"epochs\": 2") && config0.contains("\"djl\"") && config0.contains("PyTorch"),
                config0);
        assertTrue(config0.contains("\"test_fraction\": 0.1") && config0.contains("\"class_names\": [\n    \"airplane\""),
                "the split and batches.meta.txt's class names are recorded: " + config0);

        // the final model loads back into a fresh network and reproduces the saved weights
        Autoencoder reloaded = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            reloaded.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(1));
            ParameterFiles.read(outcome.run().newestModel(), reloaded, manager);
            assertEquals(268_547, reloaded.getParameters().stream()
                    .mapToLong(p -> p.getValue().getArray().size()).sum());
        }
    }

    @Test
    void aResumedRunContinuesExactlyWhereAnUninterruptedOneWouldBe(@TempDir Path tmp) throws IOException {
        TrainConfig base = TrainConfigBuilder.tinyRun().runsRoot(tmp).epochs(3).batchSize(64).seed(7).limit(320)
                .build();
        TrainingSession.run(base.withOutput(tmp.resolve("straight")), r -> { });
        TrainingSession.run(base.withEpochs(1).withOutput(tmp.resolve("interrupted")), r -> { });
        Files.delete(tmp.resolve("interrupted/model.params"));

        List<EpochResult> resumed = new ArrayList<>();
        TrainingSession.resume(tmp.resolve("interrupted"), 3, resumed::add);
        assertEquals(List.of(2, 3), resumed.stream().map(EpochResult::epoch).toList());

        List<String> straight = Files.readAllLines(tmp.resolve("straight/metrics.csv"));
        List<String> continued = Files.readAllLines(tmp.resolve("interrupted/metrics.csv"));
        assertEquals(4, continued.size(), "header + 3 epochs: " + continued);
        for (int row = 1; row <= 3; row++) {
            String[] a = straight.get(row).split(",");
            String[] b = continued.get(row).split(",");
            assertEquals(a[1], b[1], "train loss of epoch " + row);
            assertEquals(a[2], b[2], "test loss of epoch " + row);
        }
        SelfsupException done = assertThrows(SelfsupException.class,
                () -> TrainingSession.resume(tmp.resolve("interrupted"), null, r -> { }));
        assertTrue(done.getMessage().contains("--epochs"), done.getMessage());
    }

    @Test
    void defaultRunsGetTimestampedFoldersAndALastLink(@TempDir Path tmp) throws IOException {
        RunDirectory a = RunDirectory.create(null, tmp);
        RunDirectory b = RunDirectory.create(null, tmp);
        assertFalse(a.path().equals(b.path()));
        assertTrue(Files.isSymbolicLink(tmp.resolve("last")));
        assertEquals(b.path().toRealPath(), tmp.resolve("last").toRealPath());
    }

    @Test
    void refusesAnOutputThatHoldsARun(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("config.json"), "{}");
        SelfsupException e = assertThrows(SelfsupException.class, () -> RunDirectory.create(tmp, tmp));
        assertTrue(e.getMessage().contains("already holds a run"), e.getMessage());
        assertEquals("{}", Files.readString(tmp.resolve("config.json")));
    }
}
