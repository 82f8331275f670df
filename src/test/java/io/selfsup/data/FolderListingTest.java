package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.SelfsupException;
import io.selfsup.data.FolderListing.ListedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing that every image folder starts from: which files, in which order, and what it does not follow. */
public class FolderListingTest {

    private static List<String> relatives(List<ListedFile> files) {
        return files.stream().map(ListedFile::relative).toList();
    }

    private static void touch(Path root, String... relatives) throws IOException {
        for (String relative : relatives) {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.write(file, relative.getBytes());
        }
    }

    /**
     * Folder by folder sorting must give exactly one sort of all relative paths (the order the cache's index and the
     * training order are built on), also where a file name and a folder name share a prefix: '.' and '-' sort before
     * '/', '0' after it.
     */
    @Test
    void theOrderIsOneSortOfAllRelativePaths(@TempDir Path tmp) throws IOException {
        List<String> files = List.of("a.jpg", "a/x.jpg", "a/b/y.png", "a/b.png", "a0.jpg", "a-b/z.jpg", "a-b.jpg",
                "b/c/d/e.png", "b/c.jpg", "B.JPG", "b/c/d.png", "ab/a.jpg", "é/ü.png", "z z/with space.jpg");
        touch(tmp, files.toArray(String[]::new));
        List<String> sorted = new ArrayList<>(files);
        sorted.sort(null);
        List<ListedFile> listed = FolderListing.list(tmp);
        assertEquals(sorted, relatives(listed));
        assertEquals("a/x.jpg".length(), listed.get(relatives(listed).indexOf("a/x.jpg")).size(), "size from the walk");
    }

    @Test
    void onlyImageExtensionsAreListedWhateverTheirCase(@TempDir Path tmp) throws IOException {
        touch(tmp, "a.JPG", "b.jpeg", "c.Png", "d.bmp", "e.gif", "f.webp", "g.tif", "h.TIFF", "notes.txt", "noext",
                ".jpg", "x.jpg.txt");
        Files.createDirectories(tmp.resolve("folder.jpg"));
        assertEquals(List.of("a.JPG", "b.jpeg", "c.Png", "d.bmp", "e.gif", "f.webp", "g.tif", "h.TIFF"),
                relatives(FolderListing.list(tmp)));
    }

    /** A link is never followed: a loop cannot make the walk endless, a link cannot reach outside the folder. */
    @Test
    void symbolicLinksToFilesFoldersAndLoopsAreNotFollowed(@TempDir Path tmp) throws IOException {
        Path root = tmp.resolve("root");
        touch(root, "cats/a.jpg");
        touch(tmp, "outside/b.jpg");
        Files.createSymbolicLink(root.resolve("cats/link.jpg"), root.resolve("cats/a.jpg"));
        Files.createSymbolicLink(root.resolve("out"), tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("cats/loop"), root);
        Files.createSymbolicLink(root.resolve("dangling.jpg"), tmp.resolve("missing.jpg"));
        assertEquals(List.of("cats/a.jpg"), relatives(FolderListing.list(root)));
    }

    /** Only regular files are listed: a named pipe called pipe.png would block its reader forever. */
    @Test
    void aNamedPipeWithAnImageNameIsNotListed(@TempDir Path tmp) throws Exception {
        touch(tmp, "a.jpg");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", tmp.resolve("pipe.png").toString()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no mkfifo here");
            return;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        assertEquals(List.of("a.jpg"), relatives(FolderListing.list(tmp)));
    }

    @Test
    void aRootThatCannotBeListedIsAnErrorNamingIt(@TempDir Path tmp) throws IOException {
        touch(tmp, "a.jpg");
        Path notAFolder = tmp.resolve("a.jpg");
        SelfsupException e = assertThrows(SelfsupException.class, () -> FolderListing.list(notAFolder));
        assertTrue(e.getMessage().startsWith("cannot list " + notAFolder), e.getMessage());
    }

    /** Only where permissions bind (not as root): an unreadable subfolder costs its images, not the run. */
    @Test
    void aSubfolderThatCannotBeListedIsSkipped(@TempDir Path tmp) throws IOException {
        touch(tmp, "ok/a.jpg", "closed/b.jpg");
        Path closed = tmp.resolve("closed");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(closed), "runs as a user that permissions bind (not root)");
            assertEquals(List.of("ok/a.jpg"), relatives(FolderListing.list(tmp)));
        } finally {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        }
    }
}
