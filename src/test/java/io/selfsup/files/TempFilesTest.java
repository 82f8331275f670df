package io.selfsup.files;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the exit hook deletes: registered temporary files and folders, and nothing released. */
class TempFilesTest {

    @Test
    void theExitHookDeletesRegisteredPathsAndKeepsReleasedOnes(@TempDir Path tmp) throws IOException {
        Path unpacked = TempFiles.register(Files.createDirectories(tmp.resolve("unpacked/inner")).getParent());
        Files.writeString(unpacked.resolve("inner/data.bin"), "x");
        Path partial = TempFiles.register(Files.writeString(tmp.resolve("features.npz.tmp"), "half"));
        Path finished = TempFiles.register(Files.writeString(tmp.resolve("kept.npz"), "whole"));
        TempFiles.release(finished);

        TempFiles.deleteAll();

        assertFalse(Files.exists(unpacked), "an unpacked archive is removed with its contents");
        assertFalse(Files.exists(partial), "an unfinished file is removed");
        assertTrue(Files.exists(finished), "a released (finished) file stays");
        assertFalse(TempFiles.registered(partial));
    }
}
