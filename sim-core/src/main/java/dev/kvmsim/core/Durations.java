package dev.kvmsim.core;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Durations in the one textual form used by scenarios, the command line and reports: a
 * non-negative decimal number followed by a unit, {@code ns}, {@code us}, {@code ms} or
 * {@code s}, with no space ({@code "250ns"}, {@code "1.5us"}, {@code "2ms"}, {@code "1s"}).
 *
 * <p>The value must come to a whole number of nanoseconds that fits in a {@code long};
 * {@link #format} is exact, so {@code parse(format(ns)) == ns} for every {@code ns >= 0}.
 */
public final class Durations {
    private static final String EXPECTED =
            "expected a number with a unit ns, us, ms or s, like \"2us\"";

    private Durations() {}

    /** Parses a duration into nanoseconds; see the class comment for the form. */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("bad duration null: " + EXPECTED);
        }
        String s = text.trim();
        int unitStart = s.length();
        while (unitStart > 0 && Character.isLetter(s.charAt(unitStart - 1))) {
            unitStart--;
        }
        String number = s.substring(0, unitStart);
        String unit = s.substring(unitStart);
        if (s.isEmpty()) {
            throw bad(text, "empty; " + EXPECTED);
        }
        if (number.startsWith("-")) {
            throw bad(text, "durations cannot be negative; " + EXPECTED);
        }
        if (unit.isEmpty()) {
            throw bad(text, "no unit; " + EXPECTED);
        }
        long scale = unitScale(unit);
        if (scale == 0) {
            throw bad(text, "unknown unit \"" + unit + "\"; " + EXPECTED);
        }
        if (!isDecimal(number)) {
            throw bad(text, EXPECTED);
        }
        BigDecimal ns = new BigDecimal(number).multiply(BigDecimal.valueOf(scale));
        BigInteger whole;
        try {
            whole = ns.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw bad(text, "not a whole number of nanoseconds");
        }
        if (whole.bitLength() > 63) {
            throw bad(text, "too long: the limit is " + format(Long.MAX_VALUE) + " (2^63-1 ns)");
        }
        return whole.longValueExact();
    }

    /**
     * A compact exact form: the largest unit in which the value is at least 1, with no
     * trailing zeros ({@code 1500 -> "1.5us"}, {@code 2_000_000 -> "2ms"}, {@code 250 -> "250ns"},
     * {@code 0 -> "0ns"}). Negative values (differences) get a leading minus sign.
     */
    public static String format(long ns) {
        if (ns < 0) {
            // Long.MIN_VALUE has no positive counterpart: go through BigDecimal
            return "-" + formatMagnitude(BigDecimal.valueOf(ns).negate());
        }
        return formatMagnitude(BigDecimal.valueOf(ns));
    }

    private static String formatMagnitude(BigDecimal ns) {
        String unit;
        long scale;
        if (ns.compareTo(BigDecimal.valueOf(1_000_000_000L)) >= 0) {
            unit = "s";
            scale = 1_000_000_000L;
        } else if (ns.compareTo(BigDecimal.valueOf(1_000_000L)) >= 0) {
            unit = "ms";
            scale = 1_000_000L;
        } else if (ns.compareTo(BigDecimal.valueOf(1_000L)) >= 0) {
            unit = "us";
            scale = 1_000L;
        } else {
            return ns.toPlainString() + "ns";
        }
        BigDecimal v = ns.divide(BigDecimal.valueOf(scale)).stripTrailingZeros();
        return v.toPlainString() + unit;
    }

    private static long unitScale(String unit) {
        switch (unit) {
            case "ns": return 1L;
            case "us": return 1_000L;
            case "ms": return 1_000_000L;
            case "s": return 1_000_000_000L;
            default: return 0L;
        }
    }

    /** digits, optionally one '.' followed by digits ("1", "1.5", "0.25"; not ".5", "1.", "1e3") */
    private static boolean isDecimal(String n) {
        int dot = n.indexOf('.');
        if (dot < 0) {
            return allDigits(n);
        }
        return allDigits(n.substring(0, dot)) && allDigits(n.substring(dot + 1));
    }

    private static boolean allDigits(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad duration \"" + text + "\": " + why);
    }
}
