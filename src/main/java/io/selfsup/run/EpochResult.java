package io.selfsup.run;

import java.util.Locale;

/**
 * One epoch's figures, as printed and as written to metrics.csv. testLoss is NaN when there is no test split,
 * knnAccuracy (a fraction) when the data has no labels.
 */
public record EpochResult(int epoch, int epochs, double trainLoss, double testLoss, double seconds,
                          double imagesPerSecond, double knnAccuracy) {

    public static final String CSV_HEADER = "epoch,train_loss,test_loss,seconds,images_per_second,knn_accuracy";

    public String csvRow() {
        return String.format(Locale.ROOT, "%d,%.6f,%s,%.3f,%.1f,%s", epoch, trainLoss, optional(testLoss, "%.6f"),
                seconds, imagesPerSecond, optional(knnAccuracy, "%.4f"));
    }

    /** A row of {@link #csvRow}; rows of runs written before the kNN column have no accuracy. */
    public static EpochResult parse(String row, int epochs) {
        String[] f = row.split(",", -1);
        return new EpochResult(Integer.parseInt(f[0]), epochs, Double.parseDouble(f[1]), number(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), f.length > 5 ? number(f[5]) : Double.NaN);
    }

    /** The seed article's line, then what it did not print. */
    public String consoleLine() {
        String line = String.format(Locale.ROOT, "Epoch [%d/%d], Loss: %.4f, Test loss: %s, %.1f s, %.0f images/s",
                epoch, epochs, trainLoss, Double.isNaN(testLoss) ? "n/a" : String.format(Locale.ROOT, "%.4f", testLoss),
                seconds, imagesPerSecond);
        return Double.isNaN(knnAccuracy) ? line
                : line + String.format(Locale.ROOT, ", kNN: %.2f%%", 100 * knnAccuracy);
    }

    private static String optional(double value, String format) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, format, value);
    }

    private static double number(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }
}
