package dev.kvmsim.cli.trace;

/**
 * Reads values back out of the kernel's TP_printk renderings (docs/kernel-model.md#tracepoints), the only
 * view of an event that every sink shares. Each method returns a sentinel when the field is
 * absent, never throws.
 */
public final class TraceFields {
    private TraceFields() { }

    /** The word after {@code key + " "} in {@code fields}, or "" ("reason EPT_MISCONFIG" -> EPT_MISCONFIG). */
    public static String word(String fields, String key) {
        int i = find(fields, key);
        if (i < 0) {
            return "";
        }
        int start = i + key.length() + 1;
        int end = start;
        while (end < fields.length() && !Character.isWhitespace(fields.charAt(end)) && fields.charAt(end) != ',') {
            end++;
        }
        return fields.substring(start, end);
    }

    /** The number after {@code key + " "} (decimal or 0x-hex), or -1 when absent or unparsable. */
    public static long number(String fields, String key) {
        String w = word(fields, key);
        if (w.isEmpty()) {
            return -1;
        }
        try {
            if (w.startsWith("0x") || w.startsWith("0X")) {
                return Long.parseUnsignedLong(w.substring(2), 16);
            }
            return Long.parseLong(w);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The exit reason of a kvm_exit rendering ("vcpu 0 reason EPT_MISCONFIG rip ..."). */
    public static String exitReason(String kvmExitFields) {
        return word(kvmExitFields, "reason");
    }

    /** Index of {@code key} as a whole word followed by a space, or -1. */
    private static int find(String fields, String key) {
        int from = 0;
        while (true) {
            int i = fields.indexOf(key, from);
            if (i < 0) {
                return -1;
            }
            boolean startOk = i == 0 || !Character.isLetterOrDigit(fields.charAt(i - 1)) && fields.charAt(i - 1) != '_';
            int after = i + key.length();
            boolean endOk = after < fields.length() && fields.charAt(after) == ' ';
            if (startOk && endOk) {
                return i;
            }
            from = i + 1;
        }
    }
}
