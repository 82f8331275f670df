package io.selfsup.report;

import io.selfsup.train.EpochResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Train and test loss per epoch on a log scale, as a small PNG-ready picture. */
public final class LossChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 400;
    private static final int MARGIN = 60;

    private LossChart() {}

    public static BufferedImage render(List<EpochResult> epochs) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (EpochResult e : epochs) {
            for (double v : new double[] {e.trainLoss(), e.testLoss()}) {
                if (v > 0 && !Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        double lo = Math.log10(min);
        double hi = Math.max(Math.log10(max), lo + 1e-3);
        int last = epochs.get(epochs.size() - 1).epoch();
        int first = epochs.get(0).epoch();
        g.setColor(Color.GRAY);
        g.drawRect(MARGIN, MARGIN / 2, WIDTH - MARGIN - MARGIN / 2, HEIGHT - MARGIN - MARGIN / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "%.2g", max), 4, MARGIN / 2 + 10);
        g.drawString(String.format(Locale.ROOT, "%.2g", min), 4, HEIGHT - MARGIN);
        g.drawString("epoch " + first, MARGIN, HEIGHT - MARGIN / 2 + 4);
        g.drawString("epoch " + last, WIDTH - MARGIN - 30, HEIGHT - MARGIN / 2 + 4);
        g.drawString("MSE (log scale): train blue, test orange", MARGIN, HEIGHT - 8);
        g.setStroke(new BasicStroke(2f));
        line(g, epochs, true, lo, hi, first, last, new Color(31, 119, 180));
        line(g, epochs, false, lo, hi, first, last, new Color(255, 127, 14));
        g.dispose();
        return image;
    }

    private static void line(Graphics2D g, List<EpochResult> epochs, boolean train, double lo, double hi, int first,
                             int last, Color color) {
        g.setColor(color);
        int px = -1;
        int py = -1;
        for (EpochResult e : epochs) {
            double v = train ? e.trainLoss() : e.testLoss();
            if (!(v > 0)) {
                continue;
            }
            int x = MARGIN + (last == first ? 0 : (e.epoch() - first) * (WIDTH - MARGIN - MARGIN / 2) / (last - first));
            int y = MARGIN / 2 + (int) ((hi - Math.log10(v)) / (hi - lo) * (HEIGHT - MARGIN - MARGIN / 2));
            g.fillOval(x - 3, y - 3, 6, 6);
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
    }
}
