package io.selfsup.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line's two modes, driven by a fake clock. */
class ProgressLineTest {

    private static final long SECOND = 1_000_000_000L;

    /** Feeds 1,000 images in batches of 10, one batch per 0.1 s, and returns what was printed. */
    private static String drive(ProgressLine.Mode mode, AtomicLong clock, ByteArrayOutputStream bytes) {
        ProgressLine line = new ProgressLine("epoch 1/2", 1000, 0, mode,
                new PrintStream(bytes, true, StandardCharsets.UTF_8), clock::get);
        for (int done = 10; done <= 1000; done += 10) {
            clock.addAndGet(SECOND / 10);
            if (line.due(done)) {
                line.report(done, 0.25);
            }
        }
        line.finish();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offATerminalAPlainLineEveryTenPercentWithoutControlCharacters() {
        String out = drive(ProgressLine.Mode.PLAIN, new AtomicLong(), new ByteArrayOutputStream());
        List<String> lines = out.lines().toList();
        assertEquals(10, lines.size(), out);
        assertEquals("epoch 1/2: 100/1,000 images (10%), 100 images/s, loss 0.2500, 9 s left", lines.get(0));
        assertTrue(lines.get(9).startsWith("epoch 1/2: 1,000/1,000 images (100%)"), lines.get(9));
        assertFalse(out.chars().anyMatch(c -> c < 32 && c != '\n'), "no control characters: " + out);
    }

    @Test
    void offATerminalASlowPassStillPrintsEveryThirtySeconds() {
        AtomicLong clock = new AtomicLong();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLine line = new ProgressLine("encoding", 1_000_000, 0, ProgressLine.Mode.PLAIN,
                new PrintStream(bytes, true, StandardCharsets.UTF_8), clock::get);
        clock.addAndGet(29 * SECOND);
        assertFalse(line.due(1000), "not yet: 0.1% done after 29 s");
        clock.addAndGet(SECOND);
        assertTrue(line.due(1000), "30 s passed");
        line.report(1000, Double.NaN);
        assertEquals("encoding: 1,000/1,000,000 images (0%), 33 images/s, 8 h 19 min left",
                bytes.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceTwiceASecondAndClearedAtTheEnd() {
        String out = drive(ProgressLine.Mode.REDRAW, new AtomicLong(), new ByteArrayOutputStream());
        assertFalse(out.contains("\n"), "one line, redrawn: " + out);
        assertEquals(20, out.chars().filter(c -> c == '\r').count() - 2, "every 0.5 s over 10 s, then cleared");
        assertTrue(out.endsWith("\r"), "the last redraw is cleared");
    }

    @Test
    void resumedPassesCountTheirRateFromWhereTheyStarted() {
        AtomicLong clock = new AtomicLong();
        ProgressLine line = new ProgressLine("epoch 2/2", 1000, 500, ProgressLine.Mode.PLAIN,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), clock::get);
        clock.addAndGet(10 * SECOND);
        assertEquals("epoch 2/2: 600/1,000 images (60%), 10 images/s, 40 s left", line.text(600, Double.NaN,
                clock.get()));
        assertFalse(line.due(599), "50% was done at the start: the next line comes at 60%");
    }

    /** The launcher's word on standard error decides between redrawing and plain lines (scripts/selfsup). */
    @Test
    void theLaunchersTerminalTestChoosesTheMode() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SELFSUP_PROGRESS") == null,
                "SELFSUP_PROGRESS overrides the detection");
        String before = System.getProperty("selfsup.stderr.tty");
        try {
            System.setProperty("selfsup.stderr.tty", "true");
            assertEquals(ProgressLine.Mode.REDRAW, ProgressLine.consoleMode());
            System.setProperty("selfsup.stderr.tty", "false");
            assertEquals(ProgressLine.Mode.PLAIN, ProgressLine.consoleMode());
        } finally {
            if (before == null) {
                System.clearProperty("selfsup.stderr.tty");
            } else {
                System.setProperty("selfsup.stderr.tty", before);
            }
        }
    }
}
