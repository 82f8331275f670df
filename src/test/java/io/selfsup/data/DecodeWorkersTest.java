package io.selfsup.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The decoding threads' time bound: a file that keeps its decoder busy past the limit (here one that never returns
 * until released, ignoring interrupts, as a decoder caught in a loop would) is given up on once, the other files are
 * all decoded exactly once by the remaining and the replacement threads, and the call returns soon after the limit;
 * the stuck call ending later is not counted again. Without a slow file nothing is given up.
 */
class DecodeWorkersTest {

    @Test
    void aFileStuckInItsDecoderIsGivenUpOnceAndTheRestAreDecodedOnce() throws InterruptedException {
        int count = 200;
        AtomicIntegerArray calls = new AtomicIntegerArray(count);
        AtomicBoolean release = new AtomicBoolean();
        List<Integer> overdue = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        DecodeWorkers.run(count, i -> {
            calls.incrementAndGet(i);
            if (i == 17) {
                while (!release.get()) {
                    Thread.onSpinWait();
                }
            }
        }, 2, 300, overdue::add);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(List.of(17), overdue, "the stuck file, once");
        for (int i = 0; i < count; i++) {
            assertEquals(1, calls.get(i), "file " + i + " decoded once");
        }
        assertTrue(seconds < 5, "returned " + seconds + " s after a 0.3 s limit");
        release.set(true); // the abandoned thread ends now, counting nothing
        Thread.sleep(50);
        assertEquals(List.of(17), overdue);
    }

    @Test
    void withoutASlowFileNothingIsGivenUpAndEveryFileIsDecodedOnce() {
        int count = 1000;
        AtomicIntegerArray calls = new AtomicIntegerArray(count);
        List<Integer> overdue = new CopyOnWriteArrayList<>();
        DecodeWorkers.run(count, calls::incrementAndGet, 3, 60_000, overdue::add);
        assertTrue(overdue.isEmpty());
        for (int i = 0; i < count; i++) {
            assertEquals(1, calls.get(i), "file " + i);
        }
        DecodeWorkers.run(0, i -> { throw new AssertionError("no files"); }, 2, 1000, overdue::add);
    }
}
