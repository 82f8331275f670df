package io.selfsup.data;

import io.selfsup.SelfsupException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs one decoding loop on each of some daemon threads and waits for all of them. */
final class DecodeWorkers {

    private DecodeWorkers() {}

    static void run(Runnable worker, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "selfsup-decode");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(worker);
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
            throw new SelfsupException("interrupted while decoding images", e);
        }
    }
}
