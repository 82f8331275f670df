package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoded-pixel cache of image folders, the file their stores read from. A hit is made visible by replacing an
 * image with garbage of the same size and modification time: the file's index still matches, so the cached pixels
 * are used and the image is still there; a decode would skip the garbage file.
 */
class PixelCacheTest {

    private static ImageStore load(Path root, Path cache) {
        try (DataSource source = DataSources.open(new DataSpec(root, 0, 0, cache))) {
            return source.load(Split.TRAIN);
        }
    }

    private static byte[] pixels(ImageStore store) {
        byte[] all = new byte[store.size() * store.imageBytes()];
        for (int i = 0; i < store.size(); i++) {
            store.copyImage(i, all, i * store.imageBytes());
        }
        return all;
    }

    /** Overwrites {@code file} with non-image bytes of the same length and puts its old time back. */
    private static void garble(Path file) throws IOException {
        FileTime time = Files.getLastModifiedTime(file);
        Files.write(file, new byte[(int) Files.size(file)]);
        Files.setLastModifiedTime(file, time);
    }

    private static long cacheFiles(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.count();
        }
    }

    @Test
    void aSecondLoadOfAnUnchangedFolderReadsTheCache(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 12);
        ImageStore first = load(root, cache);
        assertEquals(1, cacheFiles(cache), "one cache file, no temporary left");
        garble(root.resolve("apples/img0.png"));
        ImageStore second = load(root, cache);
        assertEquals(12, second.size(), "the garbled file's pixels came from the cache");
        assertArrayEquals(pixels(first), pixels(second));
        assertEquals(first.paths(), second.paths());
    }

    @Test
    void aChangedFolderDecodesOnlyItsNewAndChangedImages(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 12);
        load(root, cache);
        Path file = root.resolve("apples/img0.png");
        garble(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertEquals(11, load(root, cache).size(), "a new modification time: decoded again, garbage skipped");
        // unchanged in size and time but garbled: decoded again it would be skipped, taken from the cache it stays
        garble(root.resolve("plums/img2.png"));
        FolderSplitTest.images(root, 12, 3);
        ImageStore grown = load(root, cache);
        assertEquals(14, grown.size(), "the 3 added files decoded, the 11 unchanged ones taken from the cache");
        assertTrue(grown.paths().contains("plums/img2.png"), grown.paths().toString());
        assertEquals(1, cacheFiles(cache), "the folder's cache file is replaced, not added to");
    }

    @Test
    void aDamagedIndexIsIgnoredAndDecodedAgain(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 6);
        byte[] expected = pixels(load(root, cache));
        Path file = onlyFile(cache);
        flipBits(file, 40);
        garble(root.resolve("apples/img0.png"));
        ImageStore again = load(root, cache);
        assertEquals(5, again.size(), "the index's CRC caught the damage: decoded again, garbage skipped");
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 3072, expected.length), pixels(again));
    }

    @Test
    void damagedPixelsStopTheReadWithAMessageAndTheNextLoadDecodesAgain(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 6);
        byte[] expected = pixels(load(root, cache));
        Path file = onlyFile(cache);
        flipBits(file, Files.size(file) - 100);
        ImageStore damaged = load(root, cache);
        SelfsupException e = assertThrows(SelfsupException.class, () -> pixels(damaged));
        assertTrue(e.getMessage().contains("is damaged") && e.getMessage().contains("run the command again"),
                e.getMessage());
        assertFalse(Files.exists(file), "the damaged file is deleted");
        assertArrayEquals(expected, pixels(load(root, cache)), "decoded anew");
    }

    /**
     * A decode killed half way leaves a temporary file as large as the cache: the next write deletes those of
     * processes no longer running that nothing touched for ten minutes (not a running one's, nor a recent one that
     * may be another machine's), and the single-file cache of the version before sizes.
     */
    @Test
    void abandonedTemporaryFilesAndTheOldCacheFileAreRemovedOnTheNextWrite(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 4);
        load(root, cache);
        Path file = onlyFile(cache);
        String name = file.getFileName().toString();
        Path dead = Files.writeString(cache.resolve(name + ".99999999.tmp"), "left by a killed decode");
        // pid 1, init, is always running: its file may be a write in progress
        Path alive = Files.writeString(cache.resolve(name + ".1.tmp"), "another process's write");
        Path legacy = Files.writeString(cache.resolve(name.replace("-32.bin", ".bin")), "the old format");
        Path recent = Files.writeString(cache.resolve(name + ".99999998-7.tmp"), "another machine's write, now");
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Files.setLastModifiedTime(dead, hourAgo);
        Files.setLastModifiedTime(alive, hourAgo);
        FolderSplitTest.images(root, 4, 1);
        assertEquals(5, load(root, cache).size());
        assertFalse(Files.exists(dead), "a dead process's temporary file is removed");
        assertFalse(Files.exists(legacy), "the old single-size cache file is removed");
        assertTrue(Files.exists(alive), "a running process's temporary file is kept");
        assertTrue(Files.exists(recent), "a file written in the last minutes may be another machine's: kept");
        assertTrue(Files.exists(file));
    }

    /** At 64 pixels the folder has a cache file of its own, beside the 32-pixel one. */
    @Test
    void eachImageSizeHasItsOwnCacheFile(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 4);
        ImageStore small = load(root, cache);
        try (DataSource source = DataSources.open(new DataSpec(root, 0, 0, cache, 64))) {
            ImageStore large = source.load(Split.TRAIN);
            assertEquals(3 * 64 * 64, large.imageBytes());
            assertEquals(small.size(), large.size());
        }
        assertEquals(2, cacheFiles(cache));
        assertEquals(small.size() * 3072, pixels(load(root, cache)).length, "the 32-pixel file is still there");
    }

    /** Damages one byte of {@code file}: at 40 its index, near the end the last image's pixels. */
    private static void flipBits(Path file, long position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) position] ^= 0x55;
        Files.write(file, bytes);
    }

    private static Path onlyFile(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.findFirst().orElseThrow();
        }
    }

    /** A split's pixels become its store's array; loading it again from the same source reads it again. */
    @Test
    void aSplitLoadedTwiceGivesTheSameImages(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        FolderSplitTest.images(root, 0, 30);
        Files.writeString(root.resolve("apples/broken.png"), "not a png");
        try (DataSource source = DataSources.open(new DataSpec(root, 0.3, 0, tmp.resolve("cache")))) {
            for (Split split : Split.values()) {
                ImageStore a = source.load(split);
                ImageStore b = source.load(split);
                assertArrayEquals(pixels(a), pixels(b), split.name());
                assertEquals(a.paths(), b.paths());
            }
            int total = source.load(Split.TRAIN).size() + source.load(Split.TEST).size();
            assertEquals(30, total, "the unreadable file is skipped, every other image kept");
        }
    }

    @Test
    void noCacheFolderMeansNoCache(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        FolderSplitTest.images(root, 0, 6);
        load(root, null);
        garble(root.resolve("apples/img0.png"));
        assertEquals(5, load(root, null).size(), "nothing was cached");
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> !p.equals(root)), "nothing written next to the folder");
        }
        assertTrue(Files.isDirectory(root));
    }
}
