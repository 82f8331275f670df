package io.selfsup.console;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A live progress line for a pass over images: images done of total, images/s, a running loss when there is
 * one, and the time left. On a terminal it redraws one line in place (carriage return) at most twice a second;
 * elsewhere (CI, a log file) it prints a plain line each time another 10% is done or 30 s have passed, whichever
 * comes first, without control characters. DJL's ProgressBar always redraws with '\r' and knows no plain mode.
 *
 * <p>The caller asks {@link #due} before reading anything costly (a loss kept on the device), so a report
 * costs nothing on batches where no line is printed.
 */
public final class ProgressLine {

    /** How the line is shown. */
    public enum Mode { REDRAW, PLAIN, OFF }

    static final long REDRAW_EVERY_NANOS = 500_000_000L;
    static final long PLAIN_EVERY_NANOS = 30_000_000_000L;

    private final String label;
    private final long total;
    private final Mode mode;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long start;
    private final long startDone;
    private long lastPrint;
    private int lastTenth;
    private int lastWidth;

    /**
     * @param startDone images already done when the pass (re)starts, e.g. on resume in mid-epoch: the rate
     *                  counts only the images done since
     */
    public ProgressLine(String label, long total, long startDone, Mode mode, PrintStream out, LongSupplier clock) {
        this.label = label;
        this.total = Math.max(total, 1);
        this.mode = mode;
        this.out = out;
        this.clock = clock;
        this.start = clock.getAsLong();
        this.startDone = startDone;
        this.lastPrint = start;
        this.lastTenth = (int) (10 * startDone / this.total);
    }

    /** A line on stderr (stdout stays for results), redrawn when stdout is a terminal, plain otherwise. */
    public static ProgressLine onConsole(String label, long total, long startDone) {
        return new ProgressLine(label, total, startDone, consoleMode(), System.err, System::nanoTime);
    }

    /**
     * REDRAW when standard error is a terminal, PLAIN otherwise; the environment variable SELFSUP_PROGRESS
     * (redraw, plain, off) overrides it. Java 17 cannot ask about standard error itself, so the launcher tells
     * (selfsup.stderr.tty, from the shell's test -t 2); without it, System.console() (standard input and
     * output) decides.
     */
    public static Mode consoleMode() {
        String forced = System.getenv("SELFSUP_PROGRESS");
        if (forced != null && !forced.isBlank()) {
            try {
                return Mode.valueOf(forced.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // an unknown value falls back to detection
            }
        }
        String stderrTty = System.getProperty("selfsup.stderr.tty");
        boolean terminal = stderrTty != null ? Boolean.parseBoolean(stderrTty) : System.console() != null;
        return terminal ? Mode.REDRAW : Mode.PLAIN;
    }

    /** Whether {@link #report} would print a line now, with {@code done} images done. */
    public boolean due(long done) {
        if (mode == Mode.OFF) {
            return false;
        }
        long now = clock.getAsLong();
        if (mode == Mode.REDRAW) {
            return now - lastPrint >= REDRAW_EVERY_NANOS;
        }
        return (int) (10 * done / total) > lastTenth || now - lastPrint >= PLAIN_EVERY_NANOS;
    }

    /** Prints the line for {@code done} images; {@code loss} is the running mean loss, or NaN for none. */
    public void report(long done, double loss) {
        if (mode == Mode.OFF) {
            return;
        }
        long now = clock.getAsLong();
        String text = text(done, loss, now);
        if (mode == Mode.REDRAW) {
            int pad = Math.max(0, lastWidth - text.length());
            out.print("\r" + text + " ".repeat(pad));
            lastWidth = text.length();
        } else {
            out.println(text);
        }
        out.flush();
        lastPrint = now;
        lastTenth = (int) (10 * done / total);
    }

    /** Ends the pass: a redrawn line is cleared, so the next output starts on a clean line. */
    public void finish() {
        if (mode == Mode.REDRAW && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
            out.flush();
            lastWidth = 0;
        }
    }

    String text(long done, double loss, long now) {
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - startDone) / seconds : 0;
        StringBuilder s = new StringBuilder(label).append(": ")
                .append(String.format(Locale.ROOT, "%,d/%,d images (%d%%)", done, total, 100 * done / total));
        if (rate > 0) {
            s.append(String.format(Locale.ROOT, ", %,.0f images/s", rate));
        }
        if (!Double.isNaN(loss)) {
            s.append(String.format(Locale.ROOT, ", loss %.4f", loss));
        }
        if (rate > 0 && done < total) {
            s.append(", ").append(duration((total - done) / rate)).append(" left");
        }
        return s.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
