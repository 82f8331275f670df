package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.JsonUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input: a one-line error on stderr, a non-zero exit code, no stack trace. */
class MainTest {

    private static CommandLineRun.Result run(String... args) {
        return CommandLineRun.run(args);
    }

    private static void assertOneLineError(CommandLineRun.Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "one line: " + r.err());
        assertTrue(lines[0].startsWith("error: ") && lines[0].contains(contains), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertOneLineError(run("train", "--epoch", "3"), Main.EXIT_USAGE, "--epoch");
    }

    @Test
    void badDeviceNamesTheChoices() {
        assertOneLineError(run("train", "--device", "tpu"), Main.EXIT_USAGE, "[AUTO, CPU, GPU] (case-insensitive)");
        assertOneLineError(run("encode", "--device", "tpu"), Main.EXIT_USAGE, "[AUTO, CPU, GPU] (case-insensitive)");
        assertOneLineError(run("eval", "--device", "tpu"), Main.EXIT_USAGE, "[AUTO, CPU, GPU] (case-insensitive)");
    }

    @Test
    void missingDataSaysWhatToPass(@TempDir Path tmp) {
        assertOneLineError(run("train", "--data", tmp.resolve("none").toString(), "--output", tmp.resolve("r").toString()),
                Main.EXIT_USER_ERROR, "does not exist");
    }

    @Test
    void zeroEpochsIsRejected(@TempDir Path tmp) {
        assertOneLineError(run("train", "--epochs", "0", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR,
                "the number of epochs must be at least 1");
    }

    /**
     * The engine's GPU count decides which outcome is right: none (CPU libtorch, or no GPU) is a one-line error
     * pointing to --device cpu; with GPUs, a one-step run that config.json records as trained on the first GPU.
     */
    @Test
    void deviceGpuTrainsOnTheGpuOrIsAClearErrorWithoutOne(@TempDir Path tmp) throws java.io.IOException {
        Path output = tmp.resolve("r");
        CommandLineRun.Result r = run("train", "--device", "gpu", "--epochs", "1", "--limit", "64", "--data",
                "data/cifar10-mini", "--output", output.toString());
        if (Engine.getInstance().getGpuCount() == 0) {
            assertOneLineError(r, Main.EXIT_USER_ERROR, "--device cpu");
            assertFalse(java.nio.file.Files.exists(output.resolve("config.json")), "no run without a device");
        } else {
            assertEquals(0, r.code(), r.err());
            Map<?, ?> config = JsonUtils.GSON.fromJson(java.nio.file.Files.readString(output.resolve("config.json")),
                    Map.class);
            assertEquals(List.of(Device.gpu(0).toString()), config.get("devices"), "trained on the first GPU");
        }
    }

    @Test
    void aTimeBudgetIsADurationAndExcludesEpochs() {
        assertOneLineError(run("train", "--time-budget", "30"), Main.EXIT_USAGE, "30m");
        assertOneLineError(run("train", "--time-budget", "30m", "--epochs", "3"), Main.EXIT_USAGE,
                "--epochs or --time-budget");
    }

    @Test
    void unknownMethodNamesTheChoices() {
        assertOneLineError(run("train", "--method", "mae"), Main.EXIT_USAGE, "autoencoder, simclr, byol");
    }

    @Test
    void theAutoencoderHasNoResNetBackbone() {
        assertOneLineError(run("train", "--backbone", "resnet18", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR,
                "conv2 backbone only");
    }

    @Test
    void anAugmentationOutOfRangeSaysWhich() {
        assertOneLineError(run("train", "--method", "simclr", "--gray-prob", "1.5", "--data", "data/cifar10-mini"),
                Main.EXIT_USER_ERROR, "grayscale probability");
    }

    @Test
    void aNegativeVicregWeightSaysWhich() {
        assertOneLineError(run("train", "--method", "vicreg", "--variance-weight", "-1", "--data", "data/cifar10-mini"),
                Main.EXIT_USER_ERROR, "the variance weight must be a finite number >= 0, got -1.0");
    }

    @Test
    void weightDecayWithAdamIsRejected() {
        assertOneLineError(run("train", "--weight-decay", "0.1", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR,
                "applies to SGD");
    }

    /** A run directory as ssl-train writes it, minus the training: config.json of an autoencoder run. */
    private static Path fakeRun(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve("checkpoints"));
        java.nio.file.Files.writeString(dir.resolve("config.json"), "{\"options\": {\"data\": \"data/cifar10-mini\", "
                + "\"epochs\": 2, \"batch_size\": 64, \"seed\": 0, \"limit\": 0, \"device\": \"cpu\", "
                + "\"max_gpus\": 0, \"threads\": 0, \"lr\": 0.001}, \"train_images\": 1000}");
        return dir;
    }

    /** A config.json edited to absurd sizes is refused in one line on --resume, before a network is built. */
    @Test
    void aResumeOfAConfigEditedToAbsurdSizesIsAOneLineError(@TempDir Path tmp) throws java.io.IOException {
        for (Object[] edit : new Object[][] {{"width", 1_000_000_000, "width must be between 1 and 1024"},
                {"image_size", 1_000_000, "image size must be at most 1024 pixels"}}) {
            Path run = fakeRun(tmp.resolve("run-" + edit[0]));
            Map<String, Object> method = new java.util.LinkedHashMap<>(io.selfsup.method.MethodConfig.defaults(
                    "simclr", io.selfsup.nn.BackboneType.RESNET18, 8).toMap());
            method.put((String) edit[0], edit[1]);
            @SuppressWarnings("unchecked")
            Map<String, Object> config = JsonUtils.GSON.fromJson(
                    java.nio.file.Files.readString(run.resolve("config.json")), Map.class);
            config.put("method", method);
            java.nio.file.Files.writeString(run.resolve("config.json"), JsonUtils.GSON.toJson(config));
            CommandLineRun.Result r = run("train", "--resume", run.toString(), "--epochs", "3");
            assertEquals(Main.EXIT_USER_ERROR, r.code(), r.err());
            assertTrue(r.err().contains((String) edit[2]), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace");
        }
    }

    @Test
    void resumeRefusesOptionsThatContradictTheRunNamingThem(@TempDir Path tmp) throws java.io.IOException {
        Path run = fakeRun(tmp.resolve("run"));
        CommandLineRun.Result r = run("train", "--resume", run.toString(), "--method", "byol", "--batch-size", "128");
        assertOneLineError(r, Main.EXIT_USAGE, "--batch-size 128 (the run has 64), --method byol (the run has "
                + "autoencoder)");
    }

    @Test
    void resumeRefusesANewOutputFolder(@TempDir Path tmp) throws java.io.IOException {
        assertOneLineError(run("train", "--resume", fakeRun(tmp.resolve("run")).toString(), "--output",
                tmp.resolve("other").toString()), Main.EXIT_USAGE, "leave out --output");
    }

    @Test
    void resumeRefusesInitFrom(@TempDir Path tmp) throws java.io.IOException {
        assertOneLineError(run("train", "--resume", fakeRun(tmp.resolve("run")).toString(), "--init-from",
                tmp.resolve("w.npz").toString()), Main.EXIT_USAGE, "leave out --init-from");
    }

    @Test
    void resumeOfAFolderThatIsNoRunSaysSo(@TempDir Path tmp) {
        assertOneLineError(run("train", "--resume", tmp.toString()), Main.EXIT_USER_ERROR, "is not a run directory");
    }

    @Test
    void anOutputThatIsAFileIsRefusedBeforeAnyDataIsRead(@TempDir Path tmp) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(tmp.resolve("file"), "x");
        // --data does not exist either: the output is checked first
        assertOneLineError(run("train", "--output", file.toString(), "--data", tmp.resolve("none").toString()),
                Main.EXIT_USER_ERROR, "is a file, not a folder");
    }

    @Test
    void anOutputHoldingARunIsRefusedBeforeAnyDataIsRead(@TempDir Path tmp) throws java.io.IOException {
        Path run = fakeRun(tmp.resolve("run"));
        assertOneLineError(run("train", "--output", run.toString(), "--data", tmp.resolve("none").toString()),
                Main.EXIT_USER_ERROR, "already holds a run");
    }

    @Test
    void negativeCheckpointIntervalAndGpuCountAreRejected() {
        assertOneLineError(run("train", "--checkpoint-every", "-1"), Main.EXIT_USAGE, "--checkpoint-every");
        assertOneLineError(run("train", "--max-gpus", "-1", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR,
                "the number of GPUs must be 0 (all) or more");
    }

    /** Sizes that would make libtorch allocate terabytes or start a million threads are refused before the data. */
    @Test
    void absurdBatchSizesAndThreadCountsAreOneLineErrors() {
        assertOneLineError(run("train", "--batch-size", "1000000000", "--data", "data/cifar10-mini"),
                Main.EXIT_USER_ERROR, "the batch size must be between 1 and 65536, got 1000000000");
        assertOneLineError(run("train", "--threads", "1000000", "--data", "data/cifar10-mini"), Main.EXIT_USER_ERROR,
                "the number of threads must be between 0 (default) and 1024, got 1000000");
    }

    @Test
    void evalBatchSizeZeroIsAOneLineErrorNotAnInternalError(@TempDir Path tmp) {
        assertOneLineError(run("eval", "--features-train", "a.npz", "--features-test", "b.npz", "--batch-size", "0"),
                Main.EXIT_USER_ERROR, "the batch size must be at least 1");
        assertOneLineError(run("eval", "--features-train", "a.npz", "--features-test", "b.npz", "--k", "0"),
                Main.EXIT_USER_ERROR, "at least 1 neighbour");
        assertOneLineError(run("eval", "--features-train", "a.npz", "--features-test", "b.npz", "--probe-epochs",
                "-3"), Main.EXIT_USER_ERROR, "at least 1 epoch");
        assertOneLineError(run("eval", "--features-train", "a.npz", "--features-test", "b.npz", "--report",
                tmp.resolve("no/such/table.md").toString()), Main.EXIT_USER_ERROR, "does not exist");
    }

    @Test
    void encodeChecksItsOutputBeforeReadingAnything(@TempDir Path tmp) throws java.io.IOException {
        Path run = fakeRun(tmp.resolve("run"));
        java.nio.file.Files.writeString(run.resolve("model.params"), "never read: the output is checked first");
        assertOneLineError(run("encode", "--run", run.toString(), "--data", "data/cifar10-mini", "--out", tmp.resolve("no/such/f.npz").toString()),
                Main.EXIT_USER_ERROR, "does not exist");
        assertOneLineError(run("encode", "--run", run.toString(), "--data", "data/cifar10-mini", "--out", tmp.toString()), Main.EXIT_USER_ERROR,
                "is a folder");
        assertOneLineError(run("encode", "--run", run.toString(), "--data", "data/cifar10-mini", "--out", "f.npz", "--batch-size", "0"),
                Main.EXIT_USER_ERROR, "the batch size must be at least 1");
    }

    /** The versions printed are those of the selfsup build, DJL and the libtorch the engine loaded, not literals. */
    @Test
    void everyCommandPrintsSelfsupDjlAndLibtorchVersions() {
        String djl = Engine.getDjlVersion();
        String libtorch = Engine.getInstance().getVersion();
        assertTrue(djl.matches("\\d+\\.\\d+\\.\\d+.*") && libtorch.matches("\\d+\\.\\d+\\.\\d+.*"),
                "versions as the engine reports them: DJL " + djl + ", libtorch " + libtorch);
        for (String command : new String[] {"train", "encode", "eval", "export"}) {
            CommandLineRun.Result r = run(command, "--version");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().strip().lines().toList();
            assertEquals(4, lines.size(), r.out());
            assertEquals("selfsup " + io.selfsup.SelfsupVersion.VALUE, lines.get(0));
            assertEquals("DJL " + djl, lines.get(1));
            assertTrue(lines.get(2).startsWith("libtorch " + libtorch + " "), lines.get(2));
            assertEquals("Java " + System.getProperty("java.version"), lines.get(3));
        }
    }

    private static Path torchResnetW2() throws Exception {
        return Path.of(MainTest.class.getResource("/fixtures/weights_torch_resnet_w2.safetensors").toURI());
    }

    /** PyTorch's file -> ssl-train --init-from --epochs 0 -> ssl-export gives back PyTorch's tensors exactly. */
    @Test
    void aStateDictPyTorchWroteComesBackUnchangedThroughARunAndSslExport(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CommandLineRun.Result train = run("train", "--method", "simclr", "--init-from", torchResnetW2().toString(), "--epochs", "0",
                "--data", "data/cifar10-mini", "--output", run.toString());
        assertEquals(0, train.code(), train.err());
        Path out = tmp.resolve("backbone.safetensors");
        CommandLineRun.Result export = run("export", "--run", run.toString(), "--out", out.toString());
        assertEquals(0, export.code(), export.err());
        var torch = io.selfsup.weights.WeightFormat.read(torchResnetW2());
        var ours = io.selfsup.weights.WeightFormat.read(out);
        assertEquals(torch.tensors().keySet(), ours.tensors().keySet());
        torch.tensors().forEach((key, t) -> assertEquals(t.data(), ours.get(key).data(), key));
        assertEquals("backbone", ours.metadata().get("content"));

        assertOneLineError(run("export", "--run", run.toString(), "--out", out.toString()), Main.EXIT_USER_ERROR,
                "already exists");
        assertOneLineError(run("export", "--run", run.toString(), "--out", tmp.resolve("w.pt").toString()),
                Main.EXIT_USER_ERROR, ".safetensors or .npz");
    }

    @Test
    void initFromAFileOfAnotherWidthNamesTheTensorAndCreatesNoRun(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertOneLineError(run("train", "--method", "simclr", "--width", "4", "--init-from", torchResnetW2().toString(),
                "--data", "data/cifar10-mini", "--output", run.toString()), Main.EXIT_USER_ERROR,
                "'conv1.weight' has shape [2, 3, 3, 3]");
        assertFalse(java.nio.file.Files.exists(run), "no run directory for a run that cannot start");
    }

    @Test
    void initFromTheArticlesEncoderWithAResNetSaysWhichBackboneToPass() throws Exception {
        Path file = Path.of(MainTest.class.getResource("/fixtures/weights_torch_autoencoder.safetensors").toURI());
        assertOneLineError(run("train", "--method", "simclr", "--init-from", file.toString(), "--data",
                "data/cifar10-mini"), Main.EXIT_USER_ERROR, "pass --backbone conv2");
    }

    /**
     * A whole BYOL network brought in with --init-from keeps its own EMA target (trained apart from the online
     * network), instead of the target being reset to a copy of the online network as for a fresh run.
     */
    @Test
    void aWholeByolNetworkKeepsItsTargetThroughInitFrom(@TempDir Path tmp) {
        String[] small = {"train", "--data", "data/cifar10-mini", "--method", "byol", "--width", "2", "--limit", "64",
                "--batch-size", "32"};
        CommandLineRun.Result trained = run(concat(small, "--epochs", "1", "--output", tmp.resolve("a").toString()));
        assertEquals(0, trained.code(), trained.err());
        Path exported = tmp.resolve("a.safetensors");
        assertEquals(0, run("export", "--all", "--run", tmp.resolve("a").toString(), "--out", exported.toString()).code());
        var original = io.selfsup.weights.WeightFormat.read(exported);
        assertFalse(original.get("target.backbone.conv1.weight").data()
                .equals(original.get("online.backbone.conv1.weight").data()), "one epoch moved online from target");

        CommandLineRun.Result imported = run(concat(small, "--epochs", "0", "--init-from", exported.toString(),
                "--output", tmp.resolve("b").toString()));
        assertEquals(0, imported.code(), imported.err());
        Path again = tmp.resolve("b.safetensors");
        assertEquals(0, run("export", "--all", "--run", tmp.resolve("b").toString(), "--out", again.toString()).code());
        var roundTrip = io.selfsup.weights.WeightFormat.read(again);
        original.tensors().forEach((key, t) -> assertEquals(t.data(), roundTrip.get(key).data(), key));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
