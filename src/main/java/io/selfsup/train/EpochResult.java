package io.selfsup.train;

import java.util.Locale;

/** One epoch's figures, as printed and as written to metrics.csv. testLoss is NaN when there is no test split. */
public record EpochResult(int epoch, int epochs, double trainLoss, double testLoss, double seconds,
                          double imagesPerSecond) {

    public static final String CSV_HEADER = "epoch,train_loss,test_loss,seconds,images_per_second";

    public String csvRow() {
        return String.format(Locale.ROOT, "%d,%.6f,%s,%.3f,%.1f", epoch, trainLoss,
                Double.isNaN(testLoss) ? "" : String.format(Locale.ROOT, "%.6f", testLoss), seconds, imagesPerSecond);
    }

    /** The seed article's line, then what it did not print. */
    public String consoleLine() {
        return String.format(Locale.ROOT, "Epoch [%d/%d], Loss: %.4f, Test loss: %s, %.1f s, %.0f images/s",
                epoch, epochs, trainLoss, Double.isNaN(testLoss) ? "n/a" : String.format(Locale.ROOT, "%.4f", testLoss),
                seconds, imagesPerSecond);
    }
}
