package io.selfsup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/selfsup's choice of libtorch, run for real (SELFSUP_DRY_RUN=1) against a fake build (the jar names of
 * target/), a fake nvidia-smi and curl on PATH, a fake /proc/driver/nvidia and a fake DJL cache: GPU present or
 * not, CUDA libtorch cached or not, online or not, an old driver, PYTORCH_LIBRARY_PATH, SELFSUP_NATIVE; and the
 * class path that follows (the CPU native jar only when CPU libtorch is chosen).
 */
class LauncherTest {

    private static final String CPU_JAR = "pytorch-native-cpu-2.7.1-linux-x86_64.jar";

    @TempDir
    Path tmp;
    private Path root;
    private Path bin;
    private Path home;
    private Path proc;

    /** What one launch decided. */
    private record Launch(int exitCode, Map<String, String> values, String stderr) {
        String get(String key) {
            return values.getOrDefault(key, "");
        }

        boolean cpuJarOnClassPath() {
            return get("classpath").contains("native-cpu/" + CPU_JAR);
        }
    }

    @BeforeEach
    void fakeBuild() throws IOException {
        root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("scripts"));
        Path script = root.resolve("scripts/selfsup");
        Files.copy(Path.of("scripts", "selfsup"), script, StandardCopyOption.COPY_ATTRIBUTES);
        Path target = root.resolve("target");
        Files.createDirectories(target.resolve("lib"));
        Files.createDirectories(target.resolve("native-cpu"));
        Files.writeString(target.resolve("selfsup.jar"), "");
        Files.writeString(target.resolve("lib/api-0.36.0.jar"), "");
        // an older build's copy of the CPU jar in lib/ must not leak onto the class path
        Files.writeString(target.resolve("lib/" + CPU_JAR), "");
        Files.writeString(target.resolve("native-cpu/" + CPU_JAR), "");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(
                target.resolve("lib/pytorch-jni-2.7.1-0.36.0.jar")))) {
            for (String entry : List.of("jnilib/pytorch.properties", "jnilib/linux-x86_64/cpu/libdjl_torch.so",
                    "jnilib/linux-x86_64/cu128/libdjl_torch.so")) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.closeEntry();
            }
        }
        bin = Files.createDirectories(tmp.resolve("bin"));
        home = Files.createDirectories(tmp.resolve("home"));
        proc = tmp.resolve("proc-nvidia-gpus");
        noGpu();
        offline();
    }

    private void executable(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void noGpu() throws IOException {
        executable("nvidia-smi", "exit 9");
    }

    private void gpuWithDriverCuda(String version) throws IOException {
        executable("nvidia-smi", "if [ \"$1\" = -L ]; then echo 'GPU 0: NVIDIA H200 (UUID: GPU-0)'; "
                + "else echo '| NVIDIA-SMI 570.00  Driver Version: 570.00  CUDA Version: " + version + " |'; fi");
    }

    private void offline() throws IOException {
        executable("curl", "exit 7");
    }

    private void online() throws IOException {
        executable("curl", "exit 0");
    }

    private void cudaInCache() throws IOException {
        Path dir = Files.createDirectories(home.resolve(".djl.ai/pytorch/2.7.1-cu128-linux-x86_64"));
        Files.writeString(dir.resolve("libtorch.so"), "");
    }

    private Launch launch(String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("scripts/selfsup").toString(), "--version");
        Map<String, String> e = pb.environment();
        for (String k : List.of("SELFSUP_NATIVE", "PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR",
                "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "DJL_OFFLINE", "SELFSUP_MAIN")) {
            e.remove(k);
        }
        e.put("PATH", bin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
        e.put("HOME", home.toString());
        e.put("SELFSUP_NVIDIA_PROC", proc.toString());
        e.put("SELFSUP_DRY_RUN", "1");
        for (String kv : env) {
            int eq = kv.indexOf('=');
            e.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher finished");
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(out)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Launch(p.exitValue(), values, Files.readString(err, StandardCharsets.UTF_8).strip());
    }

    @Test
    void withoutAGpuItIsTheBundledCpuLibtorchSilently() throws Exception {
        Launch l = launch();
        assertEquals(0, l.exitCode());
        assertEquals("cpu", l.get("native"));
        assertTrue(l.get("reason").contains("no NVIDIA GPU"), l.get("reason"));
        assertTrue(l.cpuJarOnClassPath(), l.get("classpath"));
        assertFalse(l.get("classpath").contains("lib/" + CPU_JAR), "the stale copy in lib/ stays off");
        assertEquals("", l.stderr());
    }

    @Test
    void aGpuWithCudaLibtorchInDjlsCacheGetsCudaWithoutTheCpuJar() throws Exception {
        gpuWithDriverCuda("12.8");
        cudaInCache();
        Launch l = launch("DJL_OFFLINE=true");
        assertEquals("cuda", l.get("native"));
        assertFalse(l.cpuJarOnClassPath(), l.get("classpath"));
        assertEquals("cu128", l.get("PYTORCH_FLAVOR"), "the flavour of the bundled JNI");
        assertEquals("", l.stderr());
    }

    @Test
    void aGpuOnlineWithNothingCachedGetsCudaForDjlToFetch() throws Exception {
        gpuWithDriverCuda("13.0");
        online();
        Launch l = launch();
        assertEquals("cuda", l.get("native"));
        assertTrue(l.get("reason").contains("fetched once"), l.get("reason"));
        assertFalse(l.cpuJarOnClassPath());
    }

    @Test
    void aGpuOfflineWithNothingCachedFallsBackToCpuWithOneWarningLine() throws Exception {
        gpuWithDriverCuda("12.8");
        Launch l = launch();
        assertEquals("cpu", l.get("native"));
        assertTrue(l.cpuJarOnClassPath());
        assertEquals(1, l.stderr().lines().count(), l.stderr());
        assertTrue(l.stderr().contains("PYTORCH_LIBRARY_PATH") && l.stderr().contains("online"), l.stderr());
    }

    @Test
    void aGpuSeenOnlyInProcIsAGpu() throws Exception {
        Files.createDirectories(proc.resolve("0000:01:00.0"));
        cudaInCache();
        Launch l = launch();
        assertEquals("cuda", l.get("native"), l.get("reason"));
    }

    @Test
    void aDriverTooOldForTheCudaBuildFallsBackToCpuAndSaysWhy() throws Exception {
        gpuWithDriverCuda("12.4");
        cudaInCache();
        Launch l = launch();
        assertEquals("cpu", l.get("native"));
        assertTrue(l.cpuJarOnClassPath());
        assertTrue(l.stderr().contains("CUDA 12.4") && l.stderr().contains("12.8"), l.stderr());
    }

    @Test
    void selfsupNativeOverridesTheChoiceBothWays() throws Exception {
        gpuWithDriverCuda("12.8");
        cudaInCache();
        Launch cpu = launch("SELFSUP_NATIVE=cpu", "PYTORCH_LIBRARY_PATH=/somewhere");
        assertEquals("cpu", cpu.get("native"));
        assertTrue(cpu.cpuJarOnClassPath());
        assertEquals("", cpu.get("PYTORCH_LIBRARY_PATH"), "the bundled CPU libtorch, not an override");
        noGpu();
        Launch cuda = launch("SELFSUP_NATIVE=cuda");
        assertEquals("cuda", cuda.get("native"));
        assertFalse(cuda.cpuJarOnClassPath());
        Launch bad = launch("SELFSUP_NATIVE=rocm");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.stderr().contains("auto, cpu or cuda"), bad.stderr());
    }

    @Test
    void pytorchLibraryPathWithCudaLibtorchIsUsedWithTheMatchingFlavour() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("torch/lib"));
        Files.writeString(lib.resolve("libtorch.so"), "");
        Files.writeString(lib.resolve("libtorch_cuda.so"), "");
        Launch l = launch("PYTORCH_LIBRARY_PATH=" + lib);
        assertEquals("cuda", l.get("native"));
        assertTrue(l.get("reason").contains("PYTORCH_LIBRARY_PATH"), l.get("reason"));
        assertFalse(l.cpuJarOnClassPath());
        assertEquals("cu128", l.get("PYTORCH_FLAVOR"));
    }

    /** The benchmarks are test sources: their class folder joins the class path only for SELFSUP_MAIN. */
    @Test
    void testClassesAreOnTheClassPathOnlyForAnotherMainClass() throws Exception {
        Files.createDirectories(root.resolve("target/test-classes"));
        assertFalse(onClassPath(launch(), "target/test-classes"), "the commands run from the jar alone");
        Launch bench = launch("SELFSUP_MAIN=io.selfsup.bench.DeconvBenchmark");
        assertEquals(0, bench.exitCode(), bench.stderr());
        assertTrue(onClassPath(bench, "target/test-classes"), bench.get("classpath"));
    }

    /**
     * A benchmark edited since the last build is rebuilt before it runs, although mvn package leaves the jar
     * alone when only test sources changed; once built, the next launch does not build again.
     */
    @Test
    void aBenchmarkNewerThanTheTestClassesIsRebuiltOnce() throws Exception {
        Path builds = tmp.resolve("builds");
        executable("mvn", "echo \"$*\" >> " + builds);
        Path classes = Files.createDirectories(root.resolve("target/test-classes"));
        Path source = root.resolve("src/test/java/io/selfsup/bench/DeconvBenchmark.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "");
        Files.setLastModifiedTime(classes, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(source).toMillis() - 60_000));
        assertEquals(0, launch().exitCode());
        assertFalse(Files.exists(builds), "the commands do not depend on the test sources");
        assertEquals(0, launch("SELFSUP_MAIN=io.selfsup.bench.DeconvBenchmark").exitCode());
        assertEquals(1, Files.readAllLines(builds).size(), "built for the benchmark");
        assertEquals(0, launch("SELFSUP_MAIN=io.selfsup.bench.DeconvBenchmark").exitCode());
        assertEquals(1, Files.readAllLines(builds).size(), "not built again");
    }

    private static boolean onClassPath(Launch launch, String folder) {
        return List.of(launch.get("classpath").split(":")).stream().anyMatch(e -> e.endsWith("/" + folder));
    }

    @Test
    void theJvmIsToldTheChoiceAndItsReason() throws IOException {
        String script = Files.readString(Path.of("scripts", "selfsup"));
        assertTrue(script.contains("\"-D" + NativeLibrary.CHOICE + "=$native\"")
                && script.contains("\"-D" + NativeLibrary.REASON + "=$reason\""), "launcher and NativeLibrary agree");
    }
}
