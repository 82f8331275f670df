package io.selfsup.data;

import java.util.SplittableRandom;

/** The order images are visited in: reshuffled every epoch, reproducible from the seed. */
public final class EpochOrder {

    private EpochOrder() {}

    /** A permutation of 0..n-1 that depends only on (seed, epoch). */
    public static int[] shuffled(int n, long seed, int epoch) {
        int[] order = sequential(n);
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    public static int[] sequential(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
