package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image files under a folder, found by extension, with the size and modification time the pixel cache keys
 * on. Symbolic links are not followed, to files or to folders: a link cannot make the walk endless (a loop) or reach
 * outside the folder, and an image is never counted twice. Subfolders are listed in parallel and each folder's
 * entries sorted on their own, because a large folder's listing is one status call per file and a sort of every
 * path, and both then run side by side on every core (200,000 files in class folders: the largest part of the
 * launch before this).
 */
final class FolderListing {

    private static final Logger LOG = LoggerFactory.getLogger(FolderListing.class);
    /** What ImageIO decodes here: the JDK's readers (TIFF since Java 9) and TwelveMonkeys' JPEG (CMYK) and WebP. */
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp", "tif", "tiff");

    /**
     * One image file: its path relative to the folder ('/'-separated on every system), size and modification time;
     * the pixel cache's key. No {@link Path} is kept: a folder's listing stays small and a warm launch's
     * garbage collector has less to copy.
     */
    record ListedFile(String relative, long size, long modified) {}

    private record Folder(Path path, String relative) {}

    /** A folder's entry: an image or a subfolder, under the name that sorts it among its siblings. */
    private record Child(String key, ListedFile image, Folder folder) implements Comparable<Child> {
        @Override
        public int compareTo(Child other) {
            return key.compareTo(other.key); // not a Comparator of a getter: twice as fast under the launcher's C1
        }
    }

    private FolderListing() {}

    /**
     * Every image file under {@code root}, sorted by relative path (String order). A subfolder that cannot be listed
     * (no permission) is skipped with a warning naming it; {@code root} itself not listable is an error.
     */
    static List<ListedFile> list(Path root) {
        AtomicInteger unreadable = new AtomicInteger();
        List<ListedFile> images = subtree(new Folder(root, ""), true, unreadable);
        if (unreadable.get() > 3) {
            LOG.warn("skipped {} folders under {} that could not be listed", unreadable.get(), root);
        }
        return images;
    }

    /**
     * The images under {@code folder} in relative-path order, its subfolders listed in parallel. Sorting each
     * folder's entries, a subfolder under its name and a '/', and putting each subfolder's images at its place gives
     * the order of one sort of all relative paths (a file name holds no '/', so it compares with everything in a
     * subfolder as with that name and '/'), in short sorts of short names that run side by side.
     */
    private static List<ListedFile> subtree(Folder folder, boolean isRoot, AtomicInteger unreadable) {
        List<Child> children = read(folder, isRoot, unreadable);
        Collections.sort(children);
        List<Folder> folders = children.stream().map(Child::folder).filter(f -> f != null).toList();
        List<List<ListedFile>> below = folders.size() == 1
                ? List.of(subtree(folders.get(0), false, unreadable))
                : folders.parallelStream().map(f -> subtree(f, false, unreadable)).toList();
        List<ListedFile> images = new ArrayList<>(children.size() - folders.size()
                + below.stream().mapToInt(List::size).sum());
        int next = 0;
        for (Child child : children) {
            if (child.image() != null) {
                images.add(child.image());
            } else {
                images.addAll(below.get(next++));
            }
        }
        return images;
    }

    private static List<Child> read(Folder folder, boolean isRoot, AtomicInteger unreadable) {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder.path())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue; // removed while listed
                }
                if (attrs.isDirectory()) {
                    children.add(new Child(name + "/", null, new Folder(entry, folder.relative() + name + "/")));
                } else if (attrs.isRegularFile() && isImage(name)) {
                    children.add(new Child(name, new ListedFile(folder.relative() + name, attrs.size(),
                            attrs.lastModifiedTime().toMillis()), null));
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            String why = e instanceof DirectoryIteratorException d ? d.getCause().toString() : e.toString();
            if (isRoot) {
                throw new SelfsupException("cannot list " + folder.path() + " (" + why + "); pass a folder you can "
                        + "read", e);
            }
            if (unreadable.getAndIncrement() < 3) {
                LOG.warn("skipping {}: cannot list it ({})", folder.path(), why);
            }
        }
        return children;
    }

    private static boolean isImage(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
