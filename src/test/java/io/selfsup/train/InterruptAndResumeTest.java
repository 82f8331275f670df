package io.selfsup.train;

import io.selfsup.TestFolders;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.console.ProgressLine;
import io.selfsup.StoppedException;
import io.selfsup.UsageException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop request in mid-epoch (what Ctrl-C does, requested here without a signal) writes a checkpoint, and
 * --resume from it ends with the very parameters of an uninterrupted run; a damaged newest checkpoint is
 * skipped for the one before it, with the same result; options that contradict the run are refused.
 */
class InterruptAndResumeTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");

    /** The autoencoder on 320 images, batch 64: 5 batches per epoch, 2 epochs. */
    private static TrainConfig config(Path output) {
        return TrainConfigBuilder.tinyRun().output(output).runsRoot(output.getParent()).epochs(2).batchSize(64)
                .seed(11).limit(320).build();
    }

    /** A checkpoint after every batch, and a stop request at the {@code stopAt}-th time the loop asks. */
    private static TrainingControl control(int stopAt) {
        AtomicInteger asked = new AtomicInteger();
        return TrainingControl.defaults().withProgress(ProgressLine.Mode.OFF).withCheckpointEvery(Duration.ofNanos(1))
                .withStop(() -> asked.incrementAndGet() >= stopAt);
    }

    @Test
    void aRunStoppedInMidEpochResumesToTheParametersOfAnUninterruptedRun(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        TrainingSession.run(config(straight), control(Integer.MAX_VALUE), r -> { });
        try (Stream<Path> files = Files.list(straight.resolve("checkpoints"))) {
            assertFalse(files.anyMatch(p -> p.toString().contains("-batch-")),
                    "mid-epoch checkpoints older than the newest epoch's are removed");
        }

        // asked after each of epoch 1's 5 batches, once after the epoch, then after batches 1 and 2 of epoch 2
        Path stopped = tmp.resolve("stopped");
        StoppedException e = assertThrows(StoppedException.class,
                () -> TrainingSession.run(config(stopped), control(8), r -> { }));
        assertTrue(e.getMessage().startsWith("stopped after batch 2 of epoch 2"), e.getMessage());
        assertEquals(stopped.toAbsolutePath(), e.run().toAbsolutePath());
        Path checkpoints = stopped.resolve("checkpoints");
        try (Stream<Path> files = Files.list(checkpoints)) {
            assertEquals(List.of("epoch-0001", "epoch-0002-batch-000001", "epoch-0002-batch-000002"),
                    files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".params"))
                            .map(n -> n.substring(0, n.length() - ".params".length())).sorted().toList(),
                    "the epoch checkpoint and the newest two mid-epoch ones");
        }
        assertEquals(2, Files.readAllLines(stopped.resolve("metrics.csv")).size(), "header + epoch 1");
        assertFalse(Files.exists(stopped.resolve("model.params")));

        // a copy whose newest checkpoint is damaged on the disk after it was written
        Path damaged = tmp.resolve("damaged");
        TestFolders.copy(stopped, damaged);
        try (RandomAccessFile f = new RandomAccessFile(
                damaged.resolve("checkpoints/epoch-0002-batch-000002.params").toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        // a metrics row the checkpoints do not prove (a crash after the row, before its checkpoint)
        Files.writeString(damaged.resolve("metrics.csv"), "2,0.1,0.1,1,1,\n", java.nio.file.StandardOpenOption.APPEND);

        TrainingSession.resume(ResumeRequest.of(stopped, null), control(Integer.MAX_VALUE), r -> { });
        TrainingSession.resume(ResumeRequest.of(damaged, null), control(Integer.MAX_VALUE), r -> { });

        byte[] expected = Files.readAllBytes(straight.resolve("model.params"));
        assertArrayEquals(expected, Files.readAllBytes(stopped.resolve("model.params")), "resumed in mid-epoch");
        assertArrayEquals(expected, Files.readAllBytes(damaged.resolve("model.params")),
                "resumed from the checkpoint before the damaged one");
        List<String> rows = Files.readAllLines(straight.resolve("metrics.csv"));
        for (Path run : List.of(stopped, damaged)) {
            List<String> resumed = Files.readAllLines(run.resolve("metrics.csv"));
            assertEquals(3, resumed.size(), "header + 2 epochs, none missing or doubled: " + resumed);
            for (int row = 1; row <= 2; row++) {
                String[] a = rows.get(row).split(",");
                String[] b = resumed.get(row).split(",");
                assertEquals(a[1] + " " + a[2], b[1] + " " + b[2], "train and test loss of epoch " + row + " in " + run);
            }
        }
    }

    @Test
    void aResumeWithOptionsThatContradictTheRunIsRefusedNamingThem(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        TrainConfig one = config(run).withEpochs(1);
        TrainingSession.run(one, control(Integer.MAX_VALUE), r -> { });
        String before = Files.readString(run.resolve("config.json"));

        ResumeRequest contradicting = new ResumeRequest(run, 2, null, null, null, null,
                Map.of("--batch-size", 32, "--seed", 11L, "--method", io.selfsup.method.Methods.get("simclr")));
        UsageException e = assertThrows(UsageException.class,
                () -> TrainingSession.resume(contradicting, control(Integer.MAX_VALUE), r -> { }));
        assertTrue(e.getMessage().contains("--batch-size 32 (the run has 64), --method simclr (the run has "
                + "autoencoder)"), e.getMessage());
        assertFalse(e.getMessage().contains("--seed 11"), "an option equal to the run's is no contradiction");

        // the same data folder with fewer images than the run was started on
        Path fewer = tmp.resolve("fewer");
        Files.createDirectories(fewer);
        byte[] batch = Files.readAllBytes(MINI.resolve("data_batch_1.bin"));
        Files.write(fewer.resolve("data_batch_1.bin"), java.util.Arrays.copyOf(batch, 200 * 3073));
        Files.copy(MINI.resolve("test_batch.bin"), fewer.resolve("test_batch.bin"));
        Files.copy(MINI.resolve("batches.meta.txt"), fewer.resolve("batches.meta.txt"));
        UsageException data = assertThrows(UsageException.class, () -> TrainingSession.resume(
                new ResumeRequest(run, 2, null, null, null, fewer, Map.of()), control(Integer.MAX_VALUE), r -> { }));
        assertTrue(data.getMessage().contains("200 training images, the run was started on 320"), data.getMessage());
        assertEquals(before, Files.readString(run.resolve("config.json")), "a refused resume changes nothing");
    }

}
