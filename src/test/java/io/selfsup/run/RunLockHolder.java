package io.selfsup.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding a run's lock, for the tests: {@code main(DIR)} takes the lock, prints "locked" and waits to
 * be killed (at most a minute).
 */
public final class RunLockHolder {

    private RunLockHolder() {}

    public static void main(String[] args) throws InterruptedException {
        RunLock.acquire(Path.of(args[0]), "ssl-train");
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(60_000);
    }

    /** Starts a JVM that holds the lock of {@code dir} and returns once it does. */
    public static Process start(Path dir) throws IOException {
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), RunLockHolder.class.getName(),
                dir.toString())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IOException("the lock holder did not start: " + line);
        }
        return process;
    }

    /** Kills the holder as kill -9 would: no shutdown hook, no release; only the kernel drops its lock. */
    public static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
