package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.data.ImageFolderSourceTest;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssl-train's local crop options end to end: a folder of gray, odd-sized and tiny images trains simclr with local
 * crops, a resume with another --local-crops is refused naming it, the autoencoder refuses local crops, and a bad
 * local crop size is a one-line error.
 */
class MultiCropCommandTest {

    private static void assertOneLineError(CommandLineRun.Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "one line: " + r.err());
        assertTrue(lines[0].startsWith("error: ") && lines[0].contains(contains), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void aFolderOfGrayOddSizedSmallImagesTrainsWithLocalCropsAndAResumeWithOtherCropsIsRefused(@TempDir Path tmp)
            throws IOException {
        Path photos = tmp.resolve("photos");
        int[][] sizes = {{3, 5}, {7, 13}, {33, 17}, {4, 4}, {50, 9}};
        for (int i = 0; i < 20; i++) {
            int[] s = sizes[i % sizes.length];
            int type = i % 2 == 0 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
            ImageFolderSourceTest.write(photos.resolve("img" + i + ".png"), s[0], s[1], type,
                    new Color(i * 12, 255 - i * 12, (i * 37) % 256), "png");
        }
        Path run = tmp.resolve("run");
        CommandLineRun.Result train = CommandLineRun.run("train", "--method", "simclr", "--data", photos.toString(),
                "--epochs", "1", "--batch-size", "8", "--width", "2", "--projector-hidden", "16", "--projector-dim", "8",
                "--local-crops", "3", "--local-crop-size", "8", "--local-crop-scale", "0.1,0.4", "--output",
                run.toString(), "--checkpoint-every", "0");
        assertEquals(0, train.code(), train.err());
        String json = Files.readString(run.resolve("config.json"));
        assertTrue(json.contains("\"local_crops\": 3") && json.contains("\"local_crop_size\": 8"), json);

        assertOneLineError(CommandLineRun.run("train", "--resume", run.toString(), "--local-crops", "2",
                "--local-crop-scale", "0.1,0.4"), Main.EXIT_USAGE, "--local-crops 2 (the run has 3)");
        assertOneLineError(CommandLineRun.run("train", "--resume", run.toString(), "--local-crop-scale", "0.05"),
                Main.EXIT_USAGE, "--local-crop-scale 0.05,0.3 (the run has 0.1,0.4)");
    }

    @Test
    void aLocalCropScaleThatIsNoRangeSaysWhatItTakes() {
        assertOneLineError(CommandLineRun.run("train", "--method", "simclr", "--local-crops", "2", "--local-crop-scale",
                "0.1,x", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR, "takes MIN or MIN,MAX, got '0.1,x'");
        assertOneLineError(CommandLineRun.run("train", "--method", "simclr", "--local-crops", "2", "--local-crop-scale",
                "0.4,0.1", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR, "crop scale must satisfy");
    }

    @Test
    void theAutoencoderRefusesLocalCrops() {
        assertOneLineError(CommandLineRun.run("train", "--local-crops", "2", "--data", "data/cifar10-mini"),
                Main.EXIT_USAGE, "autoencoder trains on the image itself");
    }

    @Test
    void aLocalCropAsLargeAsTheGlobalViewsIsRefused() {
        assertOneLineError(CommandLineRun.run("train", "--method", "byol", "--local-crops", "2", "--local-crop-size",
                "32", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR, "smaller than the 32-pixel global views");
    }
}
