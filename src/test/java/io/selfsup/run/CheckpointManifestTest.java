package io.selfsup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoints/manifest.json edited by hand or by an attacker: names that leave the folder (../x, /x, a/b) and
 * entries of the wrong shape are refused with one message naming the file, so no file outside the folder is read,
 * and the run's store then finds no checkpoint instead of following the names.
 */
class CheckpointManifestTest {

    private static String manifest(String name, String file) {
        return "{\"checkpoints\": [{\"name\": \"" + name + "\", \"files\": {\"" + file
                + "\": {\"size\": 5, \"sha256\": \"" + "0".repeat(64) + "\"}}}]}";
    }

    @Test
    void namesOutsideTheFolderAndMalformedEntriesAreRefusedNotFollowed(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        Path checkpoints = Files.createDirectories(run.resolve(RunDirectory.CHECKPOINTS));
        Files.writeString(tmp.resolve("victim.params"), "keep!");
        for (String[] hostile : new String[][] {{"../../victim", "epoch-0001.params"},
                {"epoch-0001", "../../victim.params"}, {"epoch-0001", "/etc/passwd"}, {"epoch-0001", "a/b.params"},
                {"..", "epoch-0001.params"}, {"epoch-0001", "x\\u0000y"}}) {
            Files.writeString(checkpoints.resolve(CheckpointManifest.FILE), manifest(hostile[0], hostile[1]));
            IOException e = assertThrows(IOException.class, () -> CheckpointManifest.read(checkpoints),
                    String.join(" ", hostile));
            assertTrue(e.getMessage().contains("manifest.json is not a manifest ssl-train wrote")
                    && e.getMessage().contains("not a file of its folder"), e.getMessage());
            assertTrue(new CheckpointStore(run).newestIntact().isEmpty(), "nothing found by a refused name");
        }
        Files.writeString(checkpoints.resolve(CheckpointManifest.FILE), "{\"checkpoints\": [{\"name\": 7}]}");
        IOException e = assertThrows(IOException.class, () -> CheckpointManifest.read(checkpoints));
        assertTrue(e.getMessage().contains("is not a manifest ssl-train wrote"), e.getMessage());
        assertEquals("keep!", Files.readString(tmp.resolve("victim.params")));
    }
}
