package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.method.Method;
import io.selfsup.method.Methods;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered method, on folders as users have them rather than CIFAR: a labelled folder of a few dozen
 * images that are gray, with alpha, odd-sized, wider than tall, and smaller than the network's input; and the same
 * images without class folders. Each method trains an epoch, encodes and (labelled) evaluates through the command
 * line, exit 0 with no stack trace; unlabelled images train and encode, and ssl-eval says in one line that it needs
 * labels. A method whose views, queue or batch statistics assume CIFAR's 50,000 labelled 32x32 colour images fails
 * here.
 */
class EveryMethodOnUsersFoldersTest {

    static Stream<String> methods() {
        return Methods.all().stream().map(Method::id);
    }

    /** 48 images in two classes: a tint per class over noise, in four kinds of file. */
    private static Path folder(Path root, boolean labelled) throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 48; i++) {
            String cls = i % 2 == 0 ? "red" : "blue";
            Path dir = labelled ? root.resolve(cls) : root;
            Files.createDirectories(dir);
            switch (i % 4) {
                case 0 -> write(dir.resolve("g" + i + ".png"), 40, 30, BufferedImage.TYPE_BYTE_GRAY, cls, random, "png");
                case 1 -> write(dir.resolve("a" + i + ".png"), 33, 57, BufferedImage.TYPE_INT_ARGB, cls, random, "png");
                case 2 -> write(dir.resolve("s" + i + ".jpg"), 20, 20, BufferedImage.TYPE_INT_RGB, cls, random, "jpg");
                default -> write(dir.resolve("w" + i + ".jpg"), 97, 41, BufferedImage.TYPE_INT_RGB, cls, random, "jpg");
            }
        }
        return root;
    }

    private static void write(Path file, int w, int h, int type, String cls, Random random, String format)
            throws IOException {
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int noise = random.nextInt(128);
                int r = cls.equals("red") ? 127 + noise : noise;
                int b = cls.equals("red") ? noise : 127 + noise;
                image.setRGB(x, y, 0xFF000000 | r << 16 | (x * 255 / w) << 8 | b);
            }
        }
        ImageIO.write(image, format, file.toFile());
    }

    private static String[] train(String method, Path data, Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--method", method, "--data", data.toString(), "--epochs",
                "1", "--batch-size", "8", "--output", out.toString(), "--no-cache"));
        if (Methods.get(method).defaultBackbone().hasWidth()) {
            args.addAll(List.of("--width", "4"));
        }
        return args.toArray(String[]::new);
    }

    private static void assertClean(CommandLineRun.Result r, String what) {
        assertEquals(0, r.code(), what + ": " + r.err());
        assertFalse(r.err().contains("\tat "), what + ": no stack trace");
    }

    @ParameterizedTest
    @MethodSource("methods")
    void trainsEncodesAndEvaluatesOnALabelledFolderOfOddImages(String method, @TempDir Path tmp)
            throws IOException {
        Path data = folder(tmp.resolve("photos"), true);
        Path run = tmp.resolve("run");
        assertClean(CommandLineRun.run(train(method, data, run)), "train");
        assertClean(CommandLineRun.run("encode", "--run", run.toString(), "--out", tmp.resolve("f.npz").toString()),
                "encode");
        assertTrue(Files.size(tmp.resolve("f.npz")) > 0);
        CommandLineRun.Result eval = CommandLineRun.run("eval", "--run", run.toString(), "--probe-epochs", "2",
                "--k", "3");
        assertClean(eval, "eval");
        assertTrue(eval.out().contains("%"), "accuracy rows: " + eval.out());
    }

    @ParameterizedTest
    @MethodSource("methods")
    void trainsAndEncodesAnUnlabelledFolderAndEvalSaysItNeedsLabels(String method, @TempDir Path tmp)
            throws IOException {
        Path data = folder(tmp.resolve("photos"), false);
        Path run = tmp.resolve("run");
        assertClean(CommandLineRun.run(train(method, data, run)), "train");
        assertClean(CommandLineRun.run("encode", "--run", run.toString(), "--out", tmp.resolve("f.npz").toString()),
                "encode");
        CommandLineRun.Result eval = CommandLineRun.run("eval", "--run", run.toString());
        assertTrue(eval.code() != 0, "eval without labels fails");
        List<String> errors = eval.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), "in one line: " + eval.err());
        assertTrue(errors.get(0).contains("labelled images"), eval.err());
        assertFalse(eval.err().contains("\tat "), "no stack trace");
    }
}
