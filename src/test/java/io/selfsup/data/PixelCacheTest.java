package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoded-pixel cache of image folders. A hit is made visible by replacing an image with garbage of the
 * same size and modification time: the folder's fingerprint is unchanged, so the cached pixels are used and
 * the image is still there; a decode would skip the garbage file.
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
    void aChangedFolderIsDecodedAgain(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 12);
        load(root, cache);
        Path file = root.resolve("apples/img0.png");
        garble(file);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        assertEquals(11, load(root, cache).size(), "a new modification time: decoded again, garbage skipped");
        FolderSplitTest.images(root, 12, 3);
        assertEquals(14, load(root, cache).size(), "added files: decoded again");
        assertEquals(1, cacheFiles(cache), "the folder's cache file is replaced, not added to");
    }

    @Test
    void aDamagedCacheFileIsIgnored(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("photos");
        Path cache = tmp.resolve("cache");
        FolderSplitTest.images(root, 0, 6);
        byte[] expected = pixels(load(root, cache));
        Path file;
        try (Stream<Path> files = Files.list(cache)) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 100] ^= 0x55;
        Files.write(file, bytes);
        garble(root.resolve("apples/img0.png"));
        ImageStore again = load(root, cache);
        assertEquals(5, again.size(), "the CRC caught the damage: decoded again, garbage skipped");
        assertArrayEquals(java.util.Arrays.copyOfRange(expected, 3072, expected.length), pixels(again));
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
