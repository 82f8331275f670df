package io.selfsup.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.selfsup.StoppedException;
import io.selfsup.UsageException;
import io.selfsup.console.ProgressLine;
import io.selfsup.data.DataSpec;
import io.selfsup.encode.EncodeConfig;
import io.selfsup.encode.EncodeJob;
import io.selfsup.encode.NpzArrays;
import io.selfsup.encode.TrainedModel;
import io.selfsup.method.Byol;
import io.selfsup.method.MethodConfig;
import io.selfsup.method.SimClr;
import io.selfsup.nn.BackboneType;
import io.selfsup.run.EpochResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SimCLR and BYOL with two local crops on the bundled CIFAR-10 subset (a tiny ResNet): a run trains to a finite
 * loss, records its local views, draws them on the augmentation sheet, resumes from a mid-epoch stop to the
 * parameters of an uninterrupted run byte for byte (the local views' draws replayed too), refuses a resume with
 * another number of local crops, and encodes.
 */
class MultiCropTrainingTest {

    private static final Path MINI = Path.of("data", "cifar10-mini");

    /** 128 images, batch 32: 4 batches in the one epoch; 2 local crops of 16 pixels. */
    private static TrainConfig config(String method, Path output) {
        MethodConfig m = MethodConfig.defaults(method, BackboneType.RESNET18, 2);
        m = m.withSettings(method.equals("byol") ? new Byol.Settings(32, 16, 32, 0.99f) : new SimClr.Settings(32, 16, 0.5f));
        m = m.withViews(m.views().withLocalCrops(2, 16, 0.05, 0.3));
        return TrainConfigBuilder.tinyRun().output(output).runsRoot(output.getParent()).epochs(1).batchSize(32)
                .seed(5).limit(128).method(m).build();
    }

    /** A checkpoint after every batch, and a stop request at the {@code stopAt}-th time the loop asks. */
    private static TrainingControl control(int stopAt) {
        AtomicInteger asked = new AtomicInteger();
        return TrainingControl.defaults().withProgress(ProgressLine.Mode.OFF).withCheckpointEvery(Duration.ofNanos(1))
                .withStop(() -> asked.incrementAndGet() >= stopAt);
    }

    @ParameterizedTest
    @ValueSource(strings = {"simclr", "byol"})
    void trainsWithLocalCropsResumesExactlyFromMidEpochAndEncodes(String method, @TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        List<EpochResult> epochs = new ArrayList<>();
        TrainingSession.run(config(method, straight), control(Integer.MAX_VALUE), epochs::add);
        assertEquals(1, epochs.size());
        assertTrue(epochs.get(0).trainLoss() > 0 && Double.isFinite(epochs.get(0).trainLoss()), epochs.get(0).toString());
        assertTrue(Double.isFinite(epochs.get(0).testLoss()), "test loss over the same views: " + epochs.get(0));
        String json = Files.readString(straight.resolve("config.json"));
        assertTrue(json.contains("\"local_crops\": 2") && json.contains("\"local_crop_size\": 16"), json);

        BufferedImage sheet = javax.imageio.ImageIO.read(straight.resolve("augmentations.png").toFile());
        // rows: originals and 2 global views of 32 pixels, 2 local views of 16, each pixel 3 x 3, gaps of 4
        assertEquals(4 + 3 * (32 * 3 + 4) + 2 * (16 * 3 + 4), sheet.getHeight(), "the local crops are drawn too");

        Path stopped = tmp.resolve("stopped");
        StoppedException e = assertThrows(StoppedException.class,
                () -> TrainingSession.run(config(method, stopped), control(2), r -> { }));
        assertTrue(e.getMessage().startsWith("stopped after batch 2 of epoch 1"), e.getMessage());
        TrainingSession.resume(ResumeRequest.of(stopped, null), control(Integer.MAX_VALUE), r -> { });
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(stopped.resolve("model.params")), "resumed in mid-epoch");
        assertEquals(Files.readAllLines(straight.resolve("metrics.csv")).get(1).split(",")[1],
                Files.readAllLines(stopped.resolve("metrics.csv")).get(1).split(",")[1], "the epoch's train loss");

        UsageException refused = assertThrows(UsageException.class, () -> TrainingSession.resume(
                new ResumeRequest(stopped, 2, null, null, null, null, Map.of("--local-crops", 3, "--local-crop-size", 16)),
                control(Integer.MAX_VALUE), r -> { }));
        assertTrue(refused.getMessage().contains("--local-crops 3 (the run has 2)"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("--local-crop-size"), "an equal value is no contradiction");

        Path out = tmp.resolve("f.npz");
        EncodeJob.run(new EncodeConfig(TrainedModel.ofRun(straight), DataSpec.of(MINI), EncodeConfig.EncodeSplit.TEST,
                null, 100, out, false));
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(new long[] {500, 16}, NpzArrays.read(manager, out, "features").getShape().getShape());
        }
    }
}
