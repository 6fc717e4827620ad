package dev.kvmsim.cli.trace;

/** Minimal JSON text helpers for the streaming sinks (RFC 8259 string escaping). */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() { }

    /** Appends {@code s} as a quoted JSON string. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Appends nanoseconds as Chrome-trace microseconds with three decimals ("1.234"). */
    static void micros(StringBuilder sb, long ns) {
        sb.append(ns / 1000).append('.');
        long frac = ns % 1000;
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }
}
