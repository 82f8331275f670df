package io.selfsup.data;

import io.selfsup.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoded 32x32 pixels of an image folder, kept on disk between runs: one file per folder (named by a hash of
 * its absolute path), holding a fingerprint of the files it was decoded from (relative paths, sizes,
 * modification times), which of them could be read, their pixels and a CRC. A changed folder no longer matches
 * its fingerprint and is decoded again (and the file replaced); the file is written under a temporary name and
 * renamed, so a reader sees a whole file or none. A cache that cannot be read or written costs a warning, never
 * the run.
 */
final class PixelCache {

    private static final Logger LOG = LoggerFactory.getLogger(PixelCache.class);
    private static final byte[] MAGIC = "SELFSUP-PIXELS-1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 32 + 4 + 4;
    private static final int CHUNK = 1 << 20;

    /**
     * Pixels of {@code ok.length} images, {@code imageBytes} each, in consecutive parts (a folder's train then
     * test images, so each split's store can keep its part without a copy); an image with ok false is zeros.
     */
    record Decoded(byte[][] parts, boolean[] ok, int imageBytes) {}

    private final Path dir;

    PixelCache(Path dir) {
        this.dir = dir;
    }

    /** The cache file of the folder at {@code root}. */
    Path fileFor(Path root) {
        String key = root.toAbsolutePath().normalize().toString();
        return dir.resolve("pixels-" + HexFormat.of().formatHex(sha256(key.getBytes(StandardCharsets.UTF_8)), 0, 12)
                + ".bin");
    }

    /** The cached pixels of {@code root} when they were decoded from files with this fingerprint. */
    Optional<Decoded> read(Path root, byte[] fingerprint, int[] partCounts, int imageBytes) {
        Path file = fileFor(root);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        int count = Arrays.stream(partCounts).sum();
        long expected = HEADER + (long) count + (long) count * imageBytes + 8;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != expected) {
                return Optional.empty();
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header);
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            byte[] print = new byte[32];
            header.get(magic).get(print);
            if (!Arrays.equals(magic, MAGIC) || !Arrays.equals(print, fingerprint) || header.getInt() != count
                    || header.getInt() != imageBytes) {
                return Optional.empty();
            }
            byte[] okBytes = new byte[count];
            readFully(channel, ByteBuffer.wrap(okBytes));
            byte[][] parts = new byte[partCounts.length][];
            for (int p = 0; p < parts.length; p++) {
                parts[p] = new byte[partCounts[p] * imageBytes];
                readFully(channel, ByteBuffer.wrap(parts[p]));
            }
            ByteBuffer crc = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, crc);
            if (crc.flip().getLong() != crc(header.array(), okBytes, parts)) {
                LOG.warn("ignoring the damaged pixel cache {}; decoding the images again", file);
                return Optional.empty();
            }
            boolean[] ok = new boolean[count];
            for (int i = 0; i < count; i++) {
                ok[i] = okBytes[i] != 0;
            }
            return Optional.of(new Decoded(parts, ok, imageBytes));
        } catch (IOException e) {
            LOG.warn("cannot read the pixel cache {} ({}); decoding the images again", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores decoded pixels for {@code root}, replacing what was there. */
    void write(Path root, byte[] fingerprint, Decoded decoded) {
        Path file = fileFor(root);
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(dir);
            int count = decoded.ok().length;
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).put(fingerprint).putInt(count).putInt(decoded.imageBytes());
            byte[] okBytes = new byte[count];
            for (int i = 0; i < count; i++) {
                okBytes[i] = (byte) (decoded.ok()[i] ? 1 : 0);
            }
            ByteBuffer crc = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(crc(header.array(), okBytes, decoded.parts()));
            List<ByteBuffer> buffers = new ArrayList<>(List.of(header.flip(), ByteBuffer.wrap(okBytes)));
            for (byte[] part : decoded.parts()) {
                buffers.add(ByteBuffer.wrap(part));
            }
            buffers.add(crc.flip());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        b.position(b.position() + channel.write(chunk(b)));
                    }
                }
            }
            AtomicFiles.replace(tmp, file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the pixel cache {} ({}); the next run decodes the images again", file,
                    e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is all that is left; nothing reads it
            }
        }
    }

    private static long crc(byte[] header, byte[] ok, byte[][] parts) {
        CRC32C crc = new CRC32C();
        crc.update(header);
        crc.update(ok);
        for (byte[] part : parts) {
            crc.update(part);
        }
        return crc.getValue();
    }

    private static void readFully(FileChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ByteBuffer slice = chunk(b);
            int n = channel.read(slice);
            if (n < 0) {
                throw new IOException("the file ends early");
            }
            b.position(b.position() + n);
        }
    }

    /**
     * At most {@link #CHUNK} bytes of {@code b} from its position, sharing its content. The JDK copies a heap
     * buffer through a temporary direct buffer of the whole size: 150 MB more for CIFAR-10's training split.
     */
    private static ByteBuffer chunk(ByteBuffer b) {
        return b.slice(b.position(), Math.min(CHUNK, b.remaining()));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
