package io.selfsup.files;

import io.selfsup.SelfsupException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work, that a file a command will write at its end can be written. */
public final class OutputPaths {

    private OutputPaths() {}

    /**
     * {@code file} is not a folder and its folder exists and is writable.
     *
     * @param option the option that named it, for the message (e.g. "--out")
     */
    public static void checkWritableFile(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new SelfsupException(option + " " + file + " is a folder; pass a file name");
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new SelfsupException(option + " " + file + ": the folder " + folder + " does not exist; create it "
                    + "or pass another path");
        }
        if (!Files.isWritable(folder)) {
            throw new SelfsupException(option + " " + file + ": the folder " + folder + " is not writable");
        }
    }
}
