package io.selfsup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.run.RunLockHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ssl-train processes cannot write one run: while another process holds a folder's lock, ssl-train --output on it
 * and ssl-train --resume of it each fail with one line naming that process, exit 1, and leave every file as it was
 * (a resume's clean-up of temporary files included); once the holder is killed, the resume runs.
 */
class OneWriterPerRunTest {

    @Test
    void aRunBeingWrittenByAnotherProcessIsRefusedAndLeftAsItWas(@TempDir Path tmp) throws Exception {
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Process holder = RunLockHolder.start(busy);
        try {
            CommandLineRun.Result r = CommandLineRun.run("train", "--epochs", "1", "--limit", "64", "--data",
                    "data/cifar10-mini", "--output", busy.toString());
            assertOneLineRefusal(r, holder.pid());
            assertFalse(Files.exists(busy.resolve("config.json")), "nothing written into the busy folder");
        } finally {
            RunLockHolder.kill(holder);
        }

        Path run = tmp.resolve("run");
        CommandLineRun.Result first = CommandLineRun.run("train", "--epochs", "1", "--limit", "64", "--data",
                "data/cifar10-mini", "--output", run.toString());
        assertEquals(0, first.code(), first.err());
        Files.writeString(run.resolve("checkpoints/cut-short.tmp"), "a write a killed process left");
        Map<Path, String> before = contents(run);
        holder = RunLockHolder.start(run);
        try {
            CommandLineRun.Result r = CommandLineRun.run("train", "--resume", run.toString(), "--epochs", "2");
            assertOneLineRefusal(r, holder.pid());
            Map<Path, String> after = contents(run);
            after.remove(run.resolve("selfsup.lock"));
            before.remove(run.resolve("selfsup.lock"));
            assertEquals(before, after, "every file of the run as it was, the temporary one too");
        } finally {
            RunLockHolder.kill(holder);
        }
        CommandLineRun.Result resumed = CommandLineRun.run("train", "--resume", run.toString(), "--epochs", "2");
        assertEquals(0, resumed.code(), resumed.err());
        assertFalse(Files.exists(run.resolve("checkpoints/cut-short.tmp")), "the resume cleaned up once it held the lock");
    }

    private static void assertOneLineRefusal(CommandLineRun.Result r, long pid) {
        assertEquals(Main.EXIT_USER_ERROR, r.code(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertTrue(errors.get(0).contains("is being written by ssl-train (pid " + pid + " "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    /** Every file under {@code dir} and its bytes (as ISO-8859-1 text, so any bytes compare). */
    private static Map<Path, String> contents(Path dir) throws Exception {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(p, new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }
}
