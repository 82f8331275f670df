package io.selfsup.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.selfsup.SelfsupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per run directory, across processes: while another JVM holds a run's lock, taking it fails with one line
 * naming that process's pid; once that JVM is killed (SIGKILL, nothing released by it), the lock is free at once and
 * names its new owner; a normal end leaves the lock file empty, and a second taker in the same JVM is refused too.
 */
class RunLockTest {

    @Test
    void aLockHeldByAnotherProcessIsRefusedNamingItsPidAndFreedWhenThatProcessIsKilled(@TempDir Path dir)
            throws Exception {
        Process holder = RunLockHolder.start(dir);
        try {
            SelfsupException e = assertThrows(SelfsupException.class, () -> RunLock.acquire(dir, "ssl-train"));
            assertTrue(e.getMessage().contains("pid " + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("is being written by ssl-train"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), "one line");
        } finally {
            RunLockHolder.kill(holder);
        }
        assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("pid " + holder.pid()),
                "a killed owner's line is left behind: the stale lock");
        try (RunLock lock = RunLock.acquire(dir, "ssl-train --resume")) {
            String owner = Files.readString(dir.resolve(RunLock.FILE));
            assertTrue(owner.startsWith("ssl-train --resume (pid " + ProcessHandle.current().pid() + " "), owner);
            SelfsupException again = assertThrows(SelfsupException.class, () -> RunLock.acquire(dir, "ssl-train"));
            assertTrue(again.getMessage().contains("pid " + ProcessHandle.current().pid()), again.getMessage());
        }
        assertEquals("", Files.readString(dir.resolve(RunLock.FILE)), "a normal end leaves the lock file empty");
        RunLock.acquire(dir, "ssl-train").close();
    }
}
