package io.selfsup.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary files and folders (an .npz being written, an unpacked archive) that must not outlive the process:
 * their owner deletes them when done or on an error, and a shutdown hook deletes whatever is still registered
 * when the JVM exits early (Ctrl-C, SIGTERM, System.exit), when no finally block runs. Only kill -9 leaves them.
 */
public final class TempFiles {

    private static final Set<Path> PATHS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "selfsup-temp-files"));
    }

    private TempFiles() {}

    /** Registers a temporary file or folder for deletion at exit; returns it. */
    public static Path register(Path path) {
        PATHS.add(path.toAbsolutePath());
        return path;
    }

    /** Deletes a registered path now (recursively) and forgets it. */
    public static void delete(Path path) {
        Path p = path.toAbsolutePath();
        deleteRecursively(p);
        PATHS.remove(p);
    }

    /** Forgets a path that became permanent (renamed into place) or was deleted by its owner. */
    public static void release(Path path) {
        PATHS.remove(path.toAbsolutePath());
    }

    static boolean registered(Path path) {
        return PATHS.contains(path.toAbsolutePath());
    }

    static void deleteAll() {
        for (Path p : PATHS) {
            deleteRecursively(p);
        }
        PATHS.clear();
    }

    private static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: the process is ending or the path is already gone
        }
    }
}
