package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs {@code decodeOne(i)} for every i on some daemon threads and returns when each has finished or run out of time.
 * A file that keeps a decoder busy beyond the limit (a crafted file that sends an ImageIO plugin into a loop) is given
 * up: {@code overdue(i)} is told, a new thread takes over the remaining files, and the busy one is left to end on its
 * own, since Java cannot stop a thread inside a decoder. Its late result is not counted again.
 */
final class DecodeWorkers {

    private DecodeWorkers() {}

    static void run(int count, IntConsumer decodeOne, int threads, long limitMillis, IntConsumer overdue) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Object changed = new Object();
        List<Worker> workers = new CopyOnWriteArrayList<>();
        Runnable start = () -> {
            Worker w = new Worker(count, decodeOne, next, finished, error, changed);
            workers.add(w);
            Thread t = new Thread(w, "selfsup-decode");
            t.setDaemon(true);
            t.start();
        };
        for (int t = 0; t < Math.max(1, threads); t++) {
            start.run();
        }
        long pollMillis = Math.max(5, Math.min(1000, limitMillis / 4));
        try {
            while (finished.get() < count) {
                synchronized (changed) {
                    if (finished.get() < count) {
                        changed.wait(pollMillis);
                    }
                }
                long now = System.nanoTime();
                for (Worker w : workers) {
                    int item = w.giveUpIfOverdue(now, TimeUnit.MILLISECONDS.toNanos(limitMillis));
                    if (item >= 0) {
                        workers.remove(w);
                        finished.incrementAndGet();
                        overdue.accept(item);
                        start.run();
                    }
                }
            }
        } catch (InterruptedException e) {
            next.set(count); // the workers end after their current file
            Thread.currentThread().interrupt();
            throw new SelfsupException("interrupted while decoding images", e);
        }
        if (error.get() instanceof RuntimeException r) {
            throw r;
        }
        if (error.get() instanceof Error r) {
            throw r;
        }
    }

    /** One thread's loop over the shared index; what it is decoding and since when, for the watch. */
    private static final class Worker implements Runnable {
        private final int count;
        private final IntConsumer decodeOne;
        private final AtomicInteger next;
        private final AtomicInteger finished;
        private final AtomicReference<Throwable> error;
        private final Object changed;
        private int current = -1;
        private long since;
        private boolean abandoned;

        Worker(int count, IntConsumer decodeOne, AtomicInteger next, AtomicInteger finished,
               AtomicReference<Throwable> error, Object changed) {
            this.count = count;
            this.decodeOne = decodeOne;
            this.next = next;
            this.finished = finished;
            this.error = error;
            this.changed = changed;
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                synchronized (this) {
                    current = i;
                    since = System.nanoTime();
                }
                try {
                    decodeOne.accept(i);
                } catch (RuntimeException | Error e) { // the callers turn a bad file into a skipped one already
                    error.compareAndSet(null, e);
                }
                synchronized (this) {
                    if (abandoned) {
                        return; // given up on: counted when it was
                    }
                    current = -1;
                }
                if (finished.incrementAndGet() >= count) { // the watch wakes once a poll otherwise
                    synchronized (changed) {
                        changed.notifyAll();
                    }
                }
            }
        }

        /** The file this worker has been on for longer than the limit, now given up, or -1. */
        synchronized int giveUpIfOverdue(long now, long limitNanos) {
            if (current < 0 || abandoned || now - since <= limitNanos) {
                return -1;
            }
            abandoned = true;
            return current;
        }
    }
}
