package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.selfsup.encode.NpzArrays;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run at --image-size 64 on a small labelled folder of 80 x 72 pictures, through the command line: config.json
 * records the size and the standard stem it chose, a stopped-and-resumed run ends on the uninterrupted run's
 * weights byte for byte, ssl-encode and ssl-eval read the folder at the run's size, a resume at another size is
 * refused naming the option; without --image-size the folder's own size is taken (72, below the CPU's cap).
 */
class ImageSizeRunTest {

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void pictures() throws IOException {
        data = tmp.resolve("pictures");
        Random random = new Random(3);
        for (int i = 0; i < 40; i++) {
            String cls = i % 2 == 0 ? "warm" : "cold";
            Path dir = Files.createDirectories(data.resolve(cls));
            BufferedImage image = new BufferedImage(80, 72, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 72; y++) {
                for (int x = 0; x < 80; x++) {
                    int noise = random.nextInt(100);
                    int r = cls.equals("warm") ? 150 + noise : noise;
                    int b = cls.equals("warm") ? noise : 150 + noise;
                    image.setRGB(x, y, r << 16 | (x * 3) << 8 | b);
                }
            }
            ImageIO.write(image, "png", dir.resolve("p" + i + ".png").toFile());
        }
    }

    /**
     * A constant learning rate: a cosine is laid over the run's epochs, so a run of 1 epoch resumed to 2 would
     * follow another schedule than a run of 2.
     */
    private static CommandLineRun.Result train(Path out, String... more) {
        String[] base = {"train", "--method", "simclr", "--data", data.toString(), "--width", "4", "--batch-size",
                "8", "--no-cache", "--seed", "5", "--lr-schedule", "constant", "--output", out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CommandLineRun.run(args);
    }

    private static void assertClean(CommandLineRun.Result r, String what) {
        assertEquals(0, r.code(), what + ": " + r.err());
        assertFalse(r.err().contains("\tat "), what + ": no stack trace");
    }

    @Test
    void aSixtyFourPixelRunTrainsResumesExactlyEncodesAndEvaluates() throws IOException {
        Path straight = tmp.resolve("straight");
        assertClean(train(straight, "--image-size", "64", "--epochs", "2"), "train");
        String config = Files.readString(straight.resolve("config.json"));
        assertTrue(config.contains("\"image_size\": 64"), config);
        assertTrue(config.contains("\"stem\": \"standard\""), "above 32 pixels the standard stem: " + config);

        Path stopped = tmp.resolve("stopped");
        assertClean(train(stopped, "--image-size", "64", "--epochs", "1"), "first epoch");
        assertClean(CommandLineRun.run("train", "--resume", stopped.toString(), "--epochs", "2"), "resume");
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(stopped.resolve("model.params")), "resumed = uninterrupted, byte for byte");

        CommandLineRun.Result otherSize = CommandLineRun.run("train", "--resume", stopped.toString(), "--epochs", "3",
                "--image-size", "32");
        assertEquals(2, otherSize.code(), otherSize.err());
        assertTrue(otherSize.err().contains("--image-size"), otherSize.err());

        Path features = tmp.resolve("f.npz");
        assertClean(CommandLineRun.run("encode", "--run", straight.toString(), "--out", features.toString()), "encode");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray f = NpzArrays.read(manager, features, "features");
            assertEquals(new Shape(40, 32), f.getShape(), "every picture, 8 x width values");
        }
        CommandLineRun.Result eval = CommandLineRun.run("eval", "--run", straight.toString(), "--probe-epochs", "2",
                "--k", "3");
        assertClean(eval, "eval");
        assertTrue(eval.out().contains("%"), eval.out());
    }

    @Test
    void withoutImageSizeAFolderOfLargerPicturesTrainsAtItsOwnSizeOnTheCpu() throws IOException {
        Path run = tmp.resolve("auto");
        CommandLineRun.Result r = train(run, "--epochs", "1", "--device", "cpu");
        assertClean(r, "train");
        String config = Files.readString(run.resolve("config.json"));
        assertTrue(config.contains("\"image_size\": 72"), "the pictures' shorter side: " + config);
        assertTrue(r.err().contains("--image-size not given: 72 pixels"), r.err());
    }
}
