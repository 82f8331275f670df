package io.selfsup.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Puts a finished temporary file in place with one rename, so readers never see a half-written file. */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** What was written: the file's size and SHA-256 (lower-case hex). */
    public record Digest(long size, String sha256) {}

    /** Writes a file's content to a stream. */
    public interface Writer {
        void write(OutputStream os) throws IOException;
    }

    public static void replace(Path finished, Path target) throws IOException {
        try {
            Files.move(finished, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finished, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes {@code file} so that it survives a power loss once this returns: a temporary file, flushed to the
     * disk (fsync), renamed over the target, and the directory flushed so the rename itself is on the disk.
     * A failed write leaves the old file (if any) and no temporary file behind.
     */
    public static Digest writeDurably(Path file, Writer writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        long size;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                CountingStream counted = new CountingStream(new DigestOutputStream(
                        java.nio.channels.Channels.newOutputStream(channel), sha));
                try (OutputStream os = new BufferedOutputStream(counted, 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is closed (after force) by the outer try
                    }
                }) {
                    writer.write(os);
                }
                size = counted.count;
                channel.force(true);
            }
            replace(tmp, file);
            syncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new Digest(size, HexFormat.of().formatHex(sha.digest()));
    }

    /** The SHA-256 of a file's content. */
    public static Digest digest(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = 0;
            byte[] buffer = new byte[1 << 16];
            try (var in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                    size += n;
                }
            }
            return new Digest(size, HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Flushes a directory's entries (a rename, a deletion) to the disk; a no-op where the OS cannot. */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some systems (Windows) cannot open a directory; their renames are as durable as they get
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
