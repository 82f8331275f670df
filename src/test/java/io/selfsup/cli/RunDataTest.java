package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.selfsup.data.FolderSplitTest;
import io.selfsup.data.ImageFolderSourceTest;
import io.selfsup.nn.Autoencoder;
import io.selfsup.run.ParameterFiles;
import io.selfsup.run.RunDirectory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssl-encode and ssl-eval without --data use the run's own data (its config.json), not a CIFAR-10 download,
 * and say so; a folder without class sub-folders cannot be evaluated, and the error says why.
 */
class RunDataTest {

    private static CommandLineRun.Result run(String... args) {
        return CommandLineRun.run(args);
    }

    /** A run directory as ssl-train leaves it, of the article's autoencoder (untrained) on {@code data}. */
    private static Path fakeRun(Path dir, Path data) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunDirectory.CONFIG), "{\"options\": {\"data\": \""
                + data.toAbsolutePath() + "\", \"test_fraction\": 0.3, \"seed\": 0, \"epochs\": 1, "
                + "\"batch_size\": 64, \"limit\": 0, \"device\": \"cpu\", \"max_gpus\": 0, \"threads\": 0}}");
        Autoencoder net = new Autoencoder();
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, Autoencoder.inputShape(1));
            ParameterFiles.write(dir.resolve(RunDirectory.FINAL_MODEL), net);
        }
        return dir;
    }

    @Test
    void encodeAndEvalWithoutDataUseTheRunsFolder(@TempDir Path tmp) throws IOException {
        Path photos = tmp.resolve("photos");
        FolderSplitTest.images(photos, 0, 40);
        Path runDir = fakeRun(tmp.resolve("run"), photos);
        Path out = tmp.resolve("f.npz");

        CommandLineRun.Result encode = run("encode", "--run", runDir.toString(), "--out", out.toString(), "--no-cache");
        assertEquals(0, encode.code(), encode.err());
        assertTrue(encode.err().contains("--data not given: using the run's data " + photos.toAbsolutePath()),
                encode.err());
        assertTrue(encode.out().contains("Wrote 40 x"), encode.out());
        try (ZipFile zip = new ZipFile(out.toFile())) {
            assertTrue(zip.getEntry("paths.npy") != null && zip.getEntry("class_names.npy") != null,
                    "the folder's images and class names, not CIFAR-10's");
        }

        CommandLineRun.Result eval = run("eval", "--run", runDir.toString(), "--no-baselines", "--probe-epochs", "1", "--pool", "avg",
                "--no-cache");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.err().contains("using the run's data"), eval.err());
        assertTrue(eval.out().contains("trained encoder"), eval.out());
    }

    @Test
    void evaluatingAFolderWithoutClassFoldersSaysItNeedsThem(@TempDir Path tmp) throws IOException {
        Path flat = tmp.resolve("flat");
        for (int i = 0; i < 20; i++) {
            ImageFolderSourceTest.write(flat.resolve("img" + i + ".png"), 4, 4, BufferedImage.TYPE_INT_RGB,
                    new Color(i * 10, 0, 0), "png");
        }
        CommandLineRun.Result eval = run("eval", "--run", fakeRun(tmp.resolve("run"), flat).toString(), "--no-cache");
        assertEquals(Main.EXIT_USER_ERROR, eval.code(), eval.err());
        String last = eval.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("error: evaluation needs labelled images") && last.contains("sub-folder named "
                + "after its class"), eval.err());
        assertFalse(eval.err().contains("test_batch.bin"), eval.err());
    }

    @Test
    void aRunWhoseDataIsGoneSaysToPassData(@TempDir Path tmp) throws IOException {
        Path runDir = fakeRun(tmp.resolve("run"), tmp.resolve("moved-away"));
        CommandLineRun.Result encode = run("encode", "--run", runDir.toString(), "--out", tmp.resolve("f.npz").toString());
        assertEquals(Main.EXIT_USER_ERROR, encode.code(), encode.err());
        assertTrue(encode.err().contains("no longer exists; pass --data PATH"), encode.err());
    }
}
