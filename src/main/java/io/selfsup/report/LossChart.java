package io.selfsup.report;

import io.selfsup.run.EpochResult;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Train and test loss per epoch on a log scale (and the kNN monitor's accuracy, when measured), as SVG: text, viewable in any browser, and drawn without
 * loading Java's font and graphics stack (tens of MB of memory at the end of a run).
 */
public final class LossChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int BOTTOM = 60;

    private LossChart() {}

    public static String render(List<EpochResult> epochs) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (EpochResult e : epochs) {
            for (double v : new double[] {e.trainLoss(), e.testLoss()}) {
                if (v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double lo = Math.log10(min);
        double hi = Math.max(Math.log10(max), lo + 1e-3);
        int first = epochs.get(0).epoch();
        int last = epochs.get(epochs.size() - 1).epoch();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"gray\"/>%n", LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM));
        svg.append(text(4, TOP + 10, String.format(Locale.ROOT, "%.3g", max)));
        svg.append(text(4, HEIGHT - BOTTOM, String.format(Locale.ROOT, "%.3g", min)));
        svg.append(text(LEFT, HEIGHT - BOTTOM + 18, "epoch " + first));
        svg.append(text(WIDTH - RIGHT - 60, HEIGHT - BOTTOM + 18, "epoch " + last));
        boolean knn = epochs.stream().anyMatch(e -> !Double.isNaN(e.knnAccuracy()));
        svg.append(text(LEFT, HEIGHT - 12, "loss per epoch, log scale: train (blue), test (orange)"
                + (knn ? "; kNN accuracy, 0-100% right axis (green)" : "")));
        svg.append(line(epochs, EpochResult::trainLoss, lo, hi, first, last, "#1f77b4"));
        svg.append(line(epochs, EpochResult::testLoss, lo, hi, first, last, "#ff7f0e"));
        if (knn) {
            svg.append(text(WIDTH - RIGHT + 2 - 40, TOP + 10, "100%"));
            // accuracy is linear in [0, 1]; 10^(x) maps it onto the same log-scaled drawing routine
            double span = hi - lo;
            svg.append(line(epochs, e -> Math.pow(10, lo + e.knnAccuracy() * span), lo, hi, first, last, "#2ca02c"));
        }
        return svg.append("</svg>\n").toString();
    }

    private static String text(int x, int y, String s) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y, s);
    }

    private static String line(List<EpochResult> epochs, ToDoubleFunction<EpochResult> loss, double lo, double hi,
                               int first, int last, String colour) {
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (EpochResult e : epochs) {
            double v = loss.applyAsDouble(e);
            if (!(v > 0)) {
                continue;
            }
            double x = LEFT + (last == first ? 0 : (double) (e.epoch() - first) / (last - first))
                    * (WIDTH - LEFT - RIGHT);
            double y = TOP + (hi - Math.log10(v)) / (hi - lo) * (HEIGHT - TOP - BOTTOM);
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                    colour));
        }
        return String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                points.toString().strip(), colour) + dots;
    }
}
