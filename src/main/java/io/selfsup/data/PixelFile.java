package io.selfsup.data;

import io.selfsup.Limits;
import io.selfsup.SelfsupException;
import io.selfsup.data.FolderListing.ListedFile;
import io.selfsup.files.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Decoded pixels of an image folder on disk, the store a folder's images are read from batch by batch: a header,
 * an index (per image: its path relative to the folder, file size and modification time, whether it could be
 * decoded, and a CRC of its pixels) with its own CRC, then every image's pixels. Reads are positional
 * ({@link FileChannel#read(ByteBuffer, long)}), not a memory mapping: a mapping's touched pages count in the
 * process's resident memory, so a folder larger than memory would look like a process that is; read pages stay in
 * the operating system's file cache, shared and reclaimable. Each image's CRC is checked when it is read, so damage
 * stops the run with a message instead of training on garbage; the file is written under a temporary name, synced
 * and renamed, so a reader sees a whole file or none.
 */
final class PixelFile {

    private static final byte[] MAGIC = "SELFSUP-PIXELS-2".getBytes(StandardCharsets.US_ASCII);
    /** magic, decoder version, image bytes, image count, index length. */
    private static final int HEADER = MAGIC.length + 4 * 4;
    /** Pixels start on a page boundary. */
    private static final int ALIGN = 4096;
    private static final Cleaner CLEANER = Cleaner.create();
    /** A temporary file untouched this long is no write in progress: the writers touch theirs every image. */
    private static final long STALE_MILLIS = 10 * 60 * 1000L;

    private final Path file;
    private final int imageBytes;
    private final List<ListedFile> entries;
    private final boolean[] ok;
    private final int[] crcs;
    private final long pixelStart;
    /** The file this index was read from or written to, kept open: a later replacement of the path changes nothing. */
    private final Channel channel;
    /** Its identity on disk, so that only this file is deleted when it turns out damaged, not a newer one. */
    private final Object fileKey;

    private PixelFile(Path file, int imageBytes, List<ListedFile> entries, boolean[] ok, int[] crcs, long pixelStart,
                      FileChannel channel, Object fileKey) {
        this.file = file;
        this.imageBytes = imageBytes;
        this.entries = entries;
        this.ok = ok;
        this.crcs = crcs;
        this.pixelStart = pixelStart;
        this.channel = Channel.of(channel);
        this.fileKey = fileKey;
    }

    Path file() {
        return file;
    }

    List<ListedFile> entries() {
        return entries;
    }

    /** Whether image {@code i} could be decoded (one that could not holds zeros). */
    boolean ok(int i) {
        return ok[i];
    }

    /**
     * The index of the file at {@code file} when it is whole and holds images of {@code imageBytes} decoded by
     * {@code decoderVersion}; empty otherwise (missing, another layout or size, a damaged index). Its entries are
     * those of {@code expected} (the folder's files as now listed) where they agree.
     */
    static Optional<PixelFile> open(Path file, int decoderVersion, int imageBytes, List<ListedFile> expected)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        Object key = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        boolean kept = false;
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            if (!readFully(channel, header, 0)) {
                return Optional.empty();
            }
            header.flip();
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            int version = header.getInt();
            int bytes = header.getInt();
            int count = header.getInt();
            int indexLength = header.getInt();
            if (!Arrays.equals(magic, MAGIC) || version != decoderVersion || bytes != imageBytes || count < 0
                    || indexLength < 0) {
                return Optional.empty();
            }
            long start = align(HEADER + (long) indexLength + 8);
            if (channel.size() != start + (long) count * imageBytes) {
                return Optional.empty();
            }
            ByteBuffer index = ByteBuffer.allocate(indexLength + 8).order(ByteOrder.LITTLE_ENDIAN);
            if (!readFully(channel, index, HEADER)) {
                return Optional.empty();
            }
            index.flip();
            CRC32C crc = new CRC32C();
            crc.update(header.array());
            crc.update(index.array(), 0, indexLength);
            if (index.getLong(indexLength) != crc.getValue()) {
                return Optional.empty();
            }
            List<ListedFile> entries = new ArrayList<>(count);
            boolean[] ok = new boolean[count];
            int[] crcs = new int[count];
            for (int i = 0; i < count; i++) {
                byte[] path = new byte[Short.toUnsignedInt(index.getShort())];
                index.get(path);
                String relative = new String(path, StandardCharsets.UTF_8);
                long size = index.getLong();
                long modified = index.getLong();
                ListedFile listed = i < expected.size() ? expected.get(i) : null;
                // the listing's own records where they match: a warm launch keeps one record per file, not two
                entries.add(listed != null && listed.size() == size && listed.modified() == modified
                        && listed.relative().equals(relative) ? listed : new ListedFile(relative, size, modified));
                ok[i] = index.get() != 0;
                crcs[i] = index.getInt();
            }
            kept = true;
            return Optional.of(new PixelFile(file, imageBytes, entries, ok, crcs, start, channel, key));
        } finally {
            if (!kept) {
                channel.close();
            }
        }
    }

    /** Makes one image's pixels; false when the file cannot be decoded. */
    interface Decoder {
        boolean decode(int index, byte[] dst);

        /** Image {@code index} was given up on: its decoder ran past {@link Limits#DECODE_MILLIS_PER_FILE}. */
        default void overdue(int index) {}
    }

    /** Reports how many of the images to decode are done, from the decoding threads. */
    interface Progress {
        void done(int decoded);
    }

    /**
     * Writes the file for {@code wanted}, taking each image that {@code previous} holds for the same path, size and
     * modification time from it and decoding the others on {@code threads} threads; returns the new file's index.
     * Memory use is one image per thread, whatever the number of images.
     *
     * @return the file and how many images were decoded (the rest came from {@code previous})
     */
    static Written write(Path file, int decoderVersion, int imageBytes, List<ListedFile> wanted, PixelFile previous,
                         Decoder decoder, int threads, Progress progress) throws IOException {
        int count = wanted.size();
        int[] from = reusable(previous, wanted);
        boolean[] ok = new boolean[count];
        int[] crcs = new int[count];
        byte[] indexBytes = indexLength(wanted);
        long start = align(HEADER + (long) indexBytes.length + 8);
        Files.createDirectories(file.getParent());
        removeAbandoned(file);
        // pid and a random part: processes in containers that share the cache may all be pid 1
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + "." + ProcessHandle.current().pid()
                + "-", ".tmp");
        FileChannel out = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        boolean written = false;
        try {
            FileChannel old = previous == null ? null : previous.channel.channel;
            AtomicInteger decoded = new AtomicInteger();
            AtomicReference<IOException> failure =
                    new AtomicReference<>();
            ThreadLocal<byte[]> images = ThreadLocal.withInitial(() -> new byte[imageBytes]);
            DecodeWorkers.run(count, i -> {
                if (failure.get() != null) {
                    return;
                }
                byte[] image = images.get();
                try {
                    boolean good = false;
                    if (from[i] >= 0) {
                        previous.read(old, from[i], image, 0);
                        // a damaged image of the old file is decoded again rather than carried over
                        good = crc(image, 0, imageBytes) == previous.crcs[from[i]];
                    }
                    if (!good) {
                        Arrays.fill(image, (byte) 0);
                        good = decoder.decode(i, image);
                        progress.done(decoded.incrementAndGet());
                    }
                    crcs[i] = crc(image, 0, imageBytes);
                    writeFully(out, ByteBuffer.wrap(image), start + (long) i * imageBytes);
                    // last: a file given up on that still ends late is counted only once its slot is whole
                    ok[i] = good;
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, new IOException(e.toString(), e));
                }
            }, threads, Limits.DECODE_MILLIS_PER_FILE, i -> {
                ok[i] = false; // its slot stays unwritten; the index says so
                decoder.overdue(i);
            });
            if (failure.get() != null) {
                throw failure.get();
            }
            byte[] index = index(wanted, ok, crcs, indexBytes.length);
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.put(MAGIC).putInt(decoderVersion).putInt(imageBytes).putInt(count).putInt(index.length);
            CRC32C crc = new CRC32C();
            crc.update(header.array());
            crc.update(index);
            writeFully(out, header.flip(), 0);
            writeFully(out, ByteBuffer.wrap(index), HEADER);
            writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc.getValue()).flip(),
                    HEADER + index.length);
            if (count == 0) {
                out.truncate(start);
            }
            // no fsync: a derived file whose every image and index carry a checksum; after a crash that lost pages
            // a read fails its check, the file is deleted and decoded again. Waiting for the disk cost 7% of the
            // decode on 2 cores (docs/benchmarks.md)
            int decodedCount = decoded.get();
            Object key = Files.readAttributes(tmp, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            AtomicFiles.replace(tmp, file);
            written = true;
            return new Written(new PixelFile(file, imageBytes, List.copyOf(wanted), ok, crcs, start, out, key),
                    decodedCount);
        } finally {
            if (!written) {
                out.close();
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Deletes the temporary files of {@code file} that processes no longer running left (a decode killed half way:
     * as large as the cache file itself), and the single-file cache of a version before this one.
     */
    private static void removeAbandoned(Path file) {
        String name = file.getFileName().toString();
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            for (Path p : siblings.toList()) {
                String other = p.getFileName().toString();
                if (other.startsWith(name + ".") && other.endsWith(".tmp")) {
                    String pid = other.substring(name.length() + 1, other.length() - 4).split("-", 2)[0];
                    // a process of another machine or container sharing the cache may be writing it: only an old
                    // file of a process that is not running here is abandoned
                    boolean stale = Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - STALE_MILLIS;
                    if (pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty() && stale) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            // pixels-HASH.bin held every size's predecessor, 32 x 32 only; pixels-HASH-SIDE.bin replaced it
            String legacy = name.replaceFirst("-\\d+\\.bin$", ".bin");
            if (!legacy.equals(name)) {
                Files.deleteIfExists(file.resolveSibling(legacy));
            }
        } catch (IOException | RuntimeException e) {
            // what is left costs disk space only; the next write tries again
        }
    }

    /**
     * For each wanted image, its index in {@code previous} when that file holds it decoded (same path, size and
     * modification time), else -1.
     */
    static int[] reusable(PixelFile previous, List<ListedFile> wanted) {
        int[] from = new int[wanted.size()];
        Arrays.fill(from, -1);
        if (previous != null) {
            Map<ListedFile, Integer> known = new HashMap<>();
            for (int i = 0; i < previous.entries.size(); i++) {
                if (previous.ok[i]) {
                    known.put(previous.entries.get(i), i);
                }
            }
            for (int i = 0; i < from.length; i++) {
                from[i] = known.getOrDefault(wanted.get(i), -1);
            }
        }
        return from;
    }

    /** A written file and how many of its images were decoded rather than taken from the previous file. */
    record Written(PixelFile file, int decoded) {}

    /**
     * The images {@code indices} of this file (each an ok one) as a store's pixels, read from disk image by image.
     */
    ImageStore.Pixels pixels(int[] indices) {
        return new FilePixels(this, indices, channel);
    }

    private void read(FileChannel channel, int index, byte[] dst, int offset) throws IOException {
        if (!readFully(channel, ByteBuffer.wrap(dst, offset, imageBytes), pixelStart + (long) index * imageBytes)) {
            throw new IOException("the file ends before image " + index);
        }
    }

    /** An open channel, closed when the last store reading through it is collected. */
    private static final class Channel {
        private final FileChannel channel;

        private Channel(FileChannel channel) {
            this.channel = channel;
        }

        static Channel of(FileChannel channel) {
            Channel c = new Channel(channel);
            CLEANER.register(c, () -> {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing reads it any more
                }
            });
            return c;
        }
    }

    private record FilePixels(PixelFile file, int[] indices, Channel channel) implements ImageStore.Pixels {

        @Override
        public int count() {
            return indices.length;
        }

        @Override
        public void copy(int index, byte[] dst, int offset) {
            int i = indices[index];
            try {
                file.read(channel.channel, i, dst, offset);
            } catch (IOException e) {
                throw new SelfsupException("cannot read the pixel cache " + file.file + " (" + e.getMessage()
                        + "); pass --no-cache", e);
            }
            if (crc(dst, offset, file.imageBytes) != file.crcs[i]) {
                damaged(file, file.entries.get(i).relative());
            }
        }

        @Override
        public ImageStore.Pixels first(int n) {
            return new FilePixels(file, Arrays.copyOf(indices, n), channel);
        }
    }

    /**
     * Deletes a damaged cache file, so that the next run decodes the folder again, and says so; a file another run
     * has put at the path since is not this one, and stays.
     */
    private static void damaged(PixelFile damaged, String image) {
        try {
            Object now = Files.readAttributes(damaged.file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            if (now != null && now.equals(damaged.fileKey)) {
                Files.deleteIfExists(damaged.file);
            }
        } catch (IOException ignored) {
            // gone already, or unreadable: the message below says what to do
        }
        throw new SelfsupException("the pixel cache " + damaged.file + " is damaged (the pixels of " + image
                + " do not match their checksum); it was deleted: run the command again to decode the images anew");
    }

    private static byte[] indexLength(List<ListedFile> wanted) {
        return new byte[index(wanted, new boolean[wanted.size()], new int[wanted.size()], -1).length];
    }

    private static byte[] index(List<ListedFile> wanted, boolean[] ok, int[] crcs, int expectedLength) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (int i = 0; i < wanted.size(); i++) {
                ListedFile e = wanted.get(i);
                byte[] path = e.relative().getBytes(StandardCharsets.UTF_8);
                if (path.length > 0xFFFF) {
                    throw new IllegalArgumentException("a path of over 65,535 bytes: " + e.relative());
                }
                // little-endian, as the header: DataOutputStream writes big-endian, so the bytes are reversed
                out.writeShort(Short.reverseBytes((short) path.length));
                out.write(path);
                out.writeLong(Long.reverseBytes(e.size()));
                out.writeLong(Long.reverseBytes(e.modified()));
                out.writeByte(ok[i] ? 1 : 0);
                out.writeInt(Integer.reverseBytes(crcs[i]));
            }
        } catch (IOException e) {
            throw new IllegalStateException("a byte array does not fail", e);
        }
        byte[] index = bytes.toByteArray();
        if (expectedLength >= 0 && index.length != expectedLength) {
            throw new IllegalStateException("index of " + index.length + " bytes, expected " + expectedLength);
        }
        return index;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private static long align(long position) {
        return (position + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static boolean readFully(FileChannel channel, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            int n = channel.read(b, at);
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }

    private static void writeFully(FileChannel channel, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            at += channel.write(b, at);
        }
    }
}
