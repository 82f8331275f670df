package io.selfsup.encode;

import io.selfsup.TestFolders;
import io.selfsup.nn.Pooling;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.selfsup.console.ProgressLine;
import io.selfsup.SelfsupException;
import io.selfsup.StoppedException;
import io.selfsup.data.DataSpec;
import io.selfsup.engine.DeviceMode;
import io.selfsup.run.RunDirectory;
import io.selfsup.train.TrainConfig;
import io.selfsup.train.TrainingControl;
import io.selfsup.train.TrainingSession;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model of an unfinished run (what ssl-encode, ssl-eval, ssl-export and the DJL predictor read) is the
 * checkpoint --resume would continue from: the newest the manifest lists whose files are intact, not the
 * newest epoch-NNNN.params by name.
 */
class TrainedModelOfRunTest {

    @TempDir
    static Path shared;
    /** Stopped after batch 1 of epoch 3: checkpoints epoch-0001, epoch-0002 and epoch-0003-batch-000001. */
    static Path stopped;

    @BeforeAll
    static void trainARunAndStopItInEpochThree() {
        stopped = shared.resolve("stopped");
        TrainConfig d = TrainConfig.defaults();
        // the autoencoder on 128 images, batch 64: 2 batches per epoch
        TrainConfig config = new TrainConfig(DataSpec.of(EncodeJobTest.MINI), stopped, shared, 3, 64, 11, 128,
                DeviceMode.CPU, 0, 0, d.method(), d.optimizer(), null, null, false);
        // asked after each batch and after each epoch but the last: the 7th time is after batch 1 of epoch 3
        AtomicInteger asked = new AtomicInteger();
        TrainingControl control = TrainingControl.defaults().withProgress(ProgressLine.Mode.OFF)
                .withCheckpointEvery(Duration.ofNanos(1)).withStop(() -> asked.incrementAndGet() >= 7);
        StoppedException e = assertThrows(StoppedException.class,
                () -> TrainingSession.run(config, control, r -> { }));
        assertTrue(e.getMessage().startsWith("stopped after batch 1 of epoch 3"), e.getMessage());
    }

    @Test
    void anUnfinishedRunGivesItsNewestIntactCheckpointEvenInMidEpoch(@TempDir Path tmp) throws IOException {
        Path run = TestFolders.copy(stopped, tmp.resolve("run"));
        assertEquals(checkpoint(run, "epoch-0003-batch-000001"), TrainedModel.ofRun(run).parameters());
    }

    @Test
    void damagedNewestCheckpointsAreSkippedForTheOneResumeUsesAndEncodeReadsIt(@TempDir Path tmp) throws IOException {
        Path run = TestFolders.copy(stopped, tmp.resolve("run"));
        flipAByte(checkpoint(run, "epoch-0003-batch-000001"));
        assertEquals(checkpoint(run, "epoch-0002"), TrainedModel.ofRun(run).parameters(), "altered");
        truncate(checkpoint(run, "epoch-0002"));
        Path expected = checkpoint(run, "epoch-0001");
        TrainedModel model = TrainedModel.ofRun(run);
        assertEquals(expected, model.parameters(), "truncated: a torn write");
        assertEquals(RunDirectory.open(run).checkpoints().newestIntact().orElseThrow().parameters(),
                model.parameters(), "the checkpoint --resume continues from");

        Path fromRun = tmp.resolve("run.npz");
        Path fromFile = tmp.resolve("file.npz");
        EncodeJob.run(encode(model, fromRun));
        EncodeJob.run(encode(TrainedModel.ofFile(expected), fromFile));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(NpzArrays.read(manager, fromFile, "features").toFloatArray(),
                    NpzArrays.read(manager, fromRun, "features").toFloatArray(), "ssl-encode --run used epoch-0001");
        }
    }

    @Test
    void aCheckpointOnTheDiskThatTheManifestDoesNotListIsNotUsed(@TempDir Path tmp) throws IOException {
        Path run = TestFolders.copy(stopped, tmp.resolve("run"));
        // killed while writing epoch 3's checkpoint: optimizer state and parameters there, not yet listed
        Path checkpoints = run.resolve(RunDirectory.CHECKPOINTS);
        for (String suffix : List.of(".optimizer", ".params")) {
            Files.copy(checkpoints.resolve("epoch-0003-batch-000001" + suffix),
                    checkpoints.resolve("epoch-0003" + suffix));
        }
        assertEquals(checkpoint(run, "epoch-0003-batch-000001"), TrainedModel.ofRun(run).parameters());
    }

    @Test
    void aRunWithoutAManifestGivesItsNewestEpochCheckpointAsBefore(@TempDir Path tmp) throws IOException {
        Path run = TestFolders.copy(stopped, tmp.resolve("run"));
        // what a run written before manifests holds: epoch-NNNN.params and .optimizer only
        Path checkpoints = run.resolve(RunDirectory.CHECKPOINTS);
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.contains("-batch-") || name.endsWith(".state.json") || name.equals("manifest.json")) {
                    Files.delete(p);
                }
            }
        }
        assertEquals(checkpoint(run, "epoch-0002"), TrainedModel.ofRun(run).parameters());
    }

    @Test
    void aRunWhoseCheckpointsAreAllDamagedIsRefusedInOneLine(@TempDir Path tmp) throws IOException {
        Path run = TestFolders.copy(stopped, tmp.resolve("run"));
        for (String name : List.of("epoch-0001", "epoch-0002", "epoch-0003-batch-000001")) {
            truncate(checkpoint(run, name));
        }
        SelfsupException e = assertThrows(SelfsupException.class, () -> TrainedModel.ofRun(run));
        assertTrue(e.getMessage().contains("has no intact checkpoint yet; let ssl-train finish an epoch first"),
                e.getMessage());
    }

    private static EncodeConfig encode(TrainedModel model, Path out) {
        return new EncodeConfig(model, DataSpec.of(EncodeJobTest.MINI), EncodeConfig.EncodeSplit.TEST,
                Pooling.AVG, 100, out, false);
    }

    private static Path checkpoint(Path run, String name) throws IOException {
        return run.toRealPath().resolve(RunDirectory.CHECKPOINTS).resolve(name + ".params");
    }

    private static void flipAByte(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
    }

    private static void truncate(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

}
