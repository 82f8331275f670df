package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.weights.StateDict;
import io.selfsup.weights.WeightFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structure's promise, end to end: a method is one class and one registration line. MeanColourMethod exists
 * only in the test sources (io.selfsup.extension, registered in src/test/resources/META-INF/services) and nothing
 * in selfsup's own sources names it; through Main it trains, takes its own setting as an option, is stopped by a
 * real SIGTERM in a separate JVM, resumes to the very model.params of an uninterrupted run (byte for byte),
 * refuses a resume that changes its setting, and encodes and exports.
 */
class ExtensionMethodTest {

    private static final List<String> RUN = List.of("train", "--method", "meancolour", "--loss-weight", "2",
            "--width", "4", "--data", "data/cifar10-mini", "--epochs", "3", "--seed", "5", "--threads", "1",
            "--checkpoint-every", "0");

    @Test
    void aMethodFromTheTestSourcesTrainsStopsResumesExactlyEncodesAndExports(@TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        assertEquals(0, launch(args(RUN, "--output", straight.toString()), false).exitValue(), "uninterrupted run");
        String config = Files.readString(straight.resolve("config.json"));
        assertTrue(config.contains("\"name\": \"meancolour\"") && config.contains("\"loss_weight\": 2.0"), config);

        Path stopped = tmp.resolve("stopped");
        Process interrupted = launch(args(RUN, "--output", stopped.toString()), true);
        assertEquals(StopOnSignal.EXIT_INTERRUPTED, interrupted.exitValue(), "SIGTERM in training exits 130");
        assertTrue(Files.notExists(stopped.resolve("model.params")), "the stopped run is unfinished");

        assertEquals(0, launch(List.of("train", "--resume", stopped.toString()), false).exitValue(), "resume");
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.params")),
                Files.readAllBytes(stopped.resolve("model.params")), "resumed = uninterrupted, byte for byte");

        CommandLineRun.Result changed = CommandLineRun.run("train", "--resume", stopped.toString(), "--epochs", "4",
                "--loss-weight", "3");
        assertEquals(Main.EXIT_USAGE, changed.code(), changed.err());
        assertTrue(changed.err().contains("--loss-weight 3.0 (the run has 2.0)"), changed.err());

        Path features = tmp.resolve("f.npz");
        CommandLineRun.Result encoded = CommandLineRun.run("encode", "--run", stopped.toString(), "--out",
                features.toString());
        assertEquals(0, encoded.code(), encoded.err());
        assertTrue(encoded.out().contains("1500 x 32 features"), "train + test images, 8 x width 4: " + encoded.out());

        Path exported = tmp.resolve("backbone.safetensors");
        CommandLineRun.Result export = CommandLineRun.run("export", "--run", stopped.toString(), "--out",
                exported.toString());
        assertEquals(0, export.code(), export.err());
        StateDict dict = WeightFormat.read(exported);
        assertArrayEquals(new long[] {4, 3, 3, 3}, dict.get("conv1.weight").shape(), "torchvision's resnet18 names");
    }

    private static List<String> args(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    /**
     * Runs selfsup in a JVM of its own (a signal must not reach the test's JVM) with the test class path, so the
     * test method is registered there too; with {@code interrupt}, sends SIGTERM as soon as the first progress
     * line of training appears.
     */
    private static Process launch(List<String> args, boolean interrupt) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SELFSUP_PROGRESS", "plain");
        Process process = builder.start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            boolean signalled = false;
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                seen.append(line).append('\n');
                if (interrupt && !signalled && line.startsWith("epoch 1/3: ")) {
                    // kill(1), not Process.destroy(), which also closes the streams this loop reads
                    new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
                    signalled = true;
                }
            }
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "selfsup ended: " + seen);
        if (process.exitValue() != 0 && !interrupt) {
            System.err.println(seen);
        }
        if (interrupt) {
            assertTrue(seen.toString().contains("SIGTERM: stopping after this batch"), seen.toString());
        }
        return process;
    }
}
