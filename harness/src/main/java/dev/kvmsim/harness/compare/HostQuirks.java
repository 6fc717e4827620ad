package dev.kvmsim.harness.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Known differences of a differential host, marked by name in the scenario file:
 * {@code # verify-known-difference: KEY (host-quirk NAME)} names an outcome key (or a prefix of
 * keys, ending in {@code *}) that the real kernel of a documented quirky host may report
 * differently; the comparator still prints such a difference, labelled with its quirk, but it
 * does not make the file differ. The quirk itself is described in a {@code # host-quirk: NAME:}
 * line of the same file.
 */
public record HostQuirks(List<Known> known) {

    /** One marked difference. */
    public record Known(String key, boolean prefix, String quirk, int line) {
        boolean matches(String k) {
            return prefix ? k.startsWith(key) : k.equals(key);
        }
    }

    private static final Pattern MARK = Pattern.compile("#\\s*verify-known-difference:\\s*(.+?)\\s*\\(host-quirk\\s+([a-z0-9-]+)\\)\\s*");

    public HostQuirks {
        known = List.copyOf(known);
    }

    public static HostQuirks none() {
        return new HostQuirks(List.of());
    }

    /** Reads the marks from a scenario file's text. */
    public static HostQuirks parse(String text) {
        List<Known> out = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MARK.matcher(lines[i].strip());
            if (m.matches()) {
                String key = m.group(1);
                boolean prefix = key.endsWith("*");
                out.add(new Known(prefix ? key.substring(0, key.length() - 1) : key, prefix, m.group(2), i + 1));
            }
        }
        return new HostQuirks(out);
    }

    /** The quirk a difference is marked with, or null. */
    public String quirkOf(Difference d) {
        for (Known k : known) {
            if (d.key() != null && k.matches(d.key())) {
                return k.quirk();
            }
        }
        return null;
    }
}
