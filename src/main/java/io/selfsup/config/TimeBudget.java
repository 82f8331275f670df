package io.selfsup.config;

import io.selfsup.SelfsupException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ssl-train --time-budget: the wall time a run may take from launch to its last line, and the number of
 * optimizer steps it was found to fit. The steps are fixed once, from the step time measured at the start, and
 * written to config.json before the first real step: the schedules are laid over them, and a resumed run takes
 * exactly those steps, whatever the machine does then, so it ends with the weights an uninterrupted run has.
 *
 * @param time the budget
 * @param steps optimizer steps that fit, or 0 before they were measured
 * @param plan how the steps were found (measured seconds), for people reading config.json; empty before
 */
public record TimeBudget(Duration time, long steps, Map<String, Object> plan) {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([hms])");

    public TimeBudget {
        if (time.isNegative() || time.isZero()) {
            throw new SelfsupException("the time budget must be positive, got " + time.toSeconds() + " s");
        }
        if (steps < 0) {
            throw new SelfsupException("the budget's step count must be 0 (not yet measured) or more, got " + steps);
        }
        plan = Map.copyOf(plan);
    }

    /** A budget whose steps are still to be measured. */
    public static TimeBudget of(Duration time) {
        return new TimeBudget(time, 0, Map.of());
    }

    /** Whether the steps were measured and fixed. */
    public boolean planned() {
        return steps > 0;
    }

    public TimeBudget withPlan(long stepsValue, Map<String, Object> planValue) {
        return new TimeBudget(time, stepsValue, planValue);
    }

    /**
     * Parses "30m", "90s", "1h30m", "1.5h": numbers each followed by h, m or s.
     *
     * @throws IllegalArgumentException with a message that says what a budget looks like
     */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = PART.matcher(t);
        double seconds = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double value = Double.parseDouble(m.group(1));
            seconds += value * switch (m.group(2)) {
                case "h" -> 3600;
                case "m" -> 60;
                default -> 1;
            };
            end = m.end();
        }
        if (t.isEmpty() || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it as 30m, 90s or 1h30m");
        }
        if (seconds < 1) {
            throw new IllegalArgumentException("the time budget must be at least 1s, got '" + text + "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /** As the user would write it: 30m, 1h30m, 45s. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append('h');
        }
        if (s % 3600 >= 60) {
            b.append(s % 3600 / 60).append('m');
        }
        if (s % 60 != 0 || b.length() == 0) {
            b.append(s % 60).append('s');
        }
        return b.toString();
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", time.toMillis() / 1000.0);
        m.put("steps", steps);
        m.put("plan", new java.util.TreeMap<>(plan));
        return m;
    }

    @SuppressWarnings("unchecked")
    static TimeBudget fromMap(Object value) {
        if (!(value instanceof Map<?, ?> raw)) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        if (!(m.get("seconds") instanceof Number seconds) || !(m.get("steps") instanceof Number steps)) {
            throw new SelfsupException("config.json's time_budget needs 'seconds' and 'steps' numbers");
        }
        Map<String, Object> plan = m.get("plan") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        return new TimeBudget(Duration.ofMillis(Math.round(seconds.doubleValue() * 1000)), steps.longValue(), plan);
    }
}
