package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.selfsup.encode.EncodeJobTest;
import io.selfsup.encode.NpzArrays;
import io.selfsup.predict.FeatureTranslator;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run at --image-size 64 on a small labelled folder of 80 x 72 pictures, through the command line: config.json
 * records the size and the standard stem it chose, a stopped-and-resumed run ends on the uninterrupted run's
 * weights byte for byte, ssl-encode and ssl-eval read the folder at the run's size, the run loaded as a DJL model
 * gives ssl-encode's feature for a picture, a resume at another size is
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
            // the run as a DJL model: the translator resizes to the run's 64 pixels, as ssl-encode did
            List<String> paths = EncodeJobTest.strings(features, "paths");
            Criteria<Image, float[]> criteria = Criteria.builder().setTypes(Image.class, float[].class)
                    .optModelPath(straight).optTranslator(new FeatureTranslator()).build();
            try (ZooModel<Image, float[]> model = criteria.loadModel();
                 Predictor<Image, float[]> predictor = model.newPredictor()) {
                float[] feature = predictor.predict(ImageFactory.getInstance().fromFile(data.resolve(paths.get(3))));
                float[] encoded = f.get(3).toFloatArray();
                for (int d = 0; d < encoded.length; d++) {
                    assertEquals(encoded[d], feature[d], 1e-5, "dimension " + d + " of " + paths.get(3));
                }
            } catch (ai.djl.ModelException | ai.djl.translate.TranslateException e) {
                throw new AssertionError(e);
            }
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
