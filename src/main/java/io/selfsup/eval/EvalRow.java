package io.selfsup.eval;

import java.util.Locale;

/** One line of the evaluation table. */
public record EvalRow(String features, String pooling, long dimension, double linearAccuracy, double knnAccuracy,
                      double seconds) {

    public static final String HEADER = String.format(Locale.ROOT, "| %-22s | %-7s | %5s | %8s | %8s | %7s |",
            "features", "pooling", "dim", "linear", "kNN", "seconds");
    public static final String RULE = "|" + "-".repeat(24) + "|" + "-".repeat(9) + "|" + "-".repeat(7) + "|"
            + "-".repeat(10) + "|" + "-".repeat(10) + "|" + "-".repeat(9) + "|";

    public String markdown() {
        return String.format(Locale.ROOT, "| %-22s | %-7s | %5d | %7.2f%% | %7.2f%% | %7.1f |", features, pooling,
                dimension, 100 * linearAccuracy, 100 * knnAccuracy, seconds);
    }
}
