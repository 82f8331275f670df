package io.selfsup.run;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one process that may write a run directory: an operating-system lock on RUN/selfsup.lock, which names its
 * owner (pid, host, command, since when) so a second ssl-train on the same folder is refused with who holds it. The
 * kernel drops the lock when its process dies, however it dies, so a killed run never leaves a lock that blocks the
 * next: a lock file that still names an owner when it is free is stale, taken over and logged. The file stays (empty)
 * when a run ends normally; deleting it would let a third process lock a new file while a second holds the old one.
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = "selfsup.lock";
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of the run in {@code dir} for {@code command} (e.g. "ssl-train --resume"), or fails with one line
     * naming the process that holds it.
     */
    public static RunLock acquire(Path dir, String command) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                String owner = read(channel);
                channel.close();
                throw new SelfsupException(dir + " is being written by " + (owner.isEmpty() ? "another process"
                        : owner) + "; wait for it to end, or pass another folder");
            }
            String stale = read(channel);
            if (!stale.isEmpty()) {
                LOG.info("{}: took over the lock left by {} (that process has ended)", dir, stale);
            }
            String owner = command + " (pid " + ProcessHandle.current().pid() + " on " + host() + ", since "
                    + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SelfsupException("cannot lock " + file + " (" + e.getMessage() + "); pass a folder you can "
                    + "write to", e);
        }
    }

    /** Empties the owner's line and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            LOG.debug("releasing the run lock: {}", e.toString()); // the kernel releases it with the process
        } finally {
            closeQuietly(channel);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4096);
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    /** The host's name without a name-service lookup (which can hang for seconds on a machine without DNS). */
    private static String host() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException | RuntimeException e) {
                name = "";
            }
        }
        return name.isBlank() ? "this host" : name;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it
            }
        }
    }
}
