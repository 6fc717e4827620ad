package dev.kvmsim.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric and counter of a report as named numeric columns, in one stable order: what
 * {@code kvmsim diff} compares and what a sweep writes as one CSV row. Built from the report's
 * JSON form ({@link ReportWriter#json}), so a report read back from a file gives the same
 * columns as the run that wrote it.
 *
 * <p>Names: {@code simulated_ns}, {@code events}, {@code passed} (1 or 0),
 * {@code eventfd.NAME.counter|signals}, {@code vcpuN.delivered.0xVV}, {@code vcpuN.exits.REASON},
 * {@code userspace_exits.KIND.ADDR.lenL.dataD}, {@code latency.METRIC.count|p50|p90|p99|max|mean|min}
 * (ns). Values are the report's integers as decimal text.
 */
public final class ReportColumns {
    /** The sections, in column order; {@link #section} tells a column's. */
    public enum Section { RUN, COUNTERS, DELIVERIES, EXITS, USERSPACE_EXITS, METRICS }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUN_COLUMNS = List.of("simulated_ns", "events", "passed");
    private static final List<String> LATENCY_STATS = List.of("count", "p50", "p90", "p99", "max", "mean", "min");

    private ReportColumns() {}

    /** The columns of a report. */
    public static LinkedHashMap<String, String> of(Report report) {
        try {
            return of(JSON.readTree(ReportWriter.json(report)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The columns of a report's JSON form; throws {@link IllegalArgumentException} naming the
     * first key that is missing or of the wrong type when {@code report} is not a kvmsim report.
     */
    public static LinkedHashMap<String, String> of(JsonNode report) {
        if (report == null || !report.isObject()) {
            throw new IllegalArgumentException("not a kvmsim report: expected a JSON object");
        }
        LinkedHashMap<String, String> c = new LinkedHashMap<>();
        c.put("simulated_ns", number(report, "simulated_ns"));
        c.put("events", number(report, "events"));
        JsonNode passed = report.get("passed");
        if (passed == null || !passed.isBoolean()) {
            throw missing("passed", "a boolean");
        }
        c.put("passed", passed.booleanValue() ? "1" : "0");
        JsonNode eventfds = object(report, "eventfds");
        for (Iterator<Map.Entry<String, JsonNode>> it = eventfds.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            c.put("eventfd." + e.getKey() + ".counter", number(e.getValue(), "counter"));
            c.put("eventfd." + e.getKey() + ".signals", number(e.getValue(), "signals"));
        }
        JsonNode vcpus = array(report, "vcpus");
        for (JsonNode v : vcpus) {
            String prefix = "vcpu" + number(v, "vcpu");
            for (Iterator<Map.Entry<String, JsonNode>> it = object(v, "delivered").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                c.put(prefix + ".delivered." + e.getKey(), e.getValue().asText());
            }
        }
        for (JsonNode v : vcpus) {
            String prefix = "vcpu" + number(v, "vcpu");
            for (Iterator<Map.Entry<String, JsonNode>> it = object(v, "exits").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                c.put(prefix + ".exits." + e.getKey(), e.getValue().asText());
            }
        }
        for (JsonNode u : array(report, "userspace_exits")) {
            c.put("userspace_exits." + u.path("kind").asText() + "." + u.path("addr").asText() + ".len"
                    + u.path("len").asText() + ".data" + u.path("data").asText(), number(u, "count"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object(report, "latencies").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (String stat : LATENCY_STATS) {
                c.put("latency." + e.getKey() + "." + stat, number(e.getValue(), stat));
            }
        }
        return c;
    }

    /** The section a column belongs to. */
    public static Section section(String column) {
        if (column.startsWith("latency.")) {
            return Section.METRICS;
        }
        if (column.startsWith("eventfd.")) {
            return Section.COUNTERS;
        }
        if (column.startsWith("userspace_exits.")) {
            return Section.USERSPACE_EXITS;
        }
        if (column.startsWith("vcpu")) {
            return column.contains(".delivered.") ? Section.DELIVERIES : Section.EXITS;
        }
        return Section.RUN;
    }

    /** True for columns in nanoseconds (latency statistics other than count, and simulated_ns). */
    public static boolean isNanoseconds(String column) {
        return column.equals("simulated_ns") || column.startsWith("latency.") && !column.endsWith(".count");
    }

    /**
     * The union of the columns of several rows in a stable order that depends only on the
     * names: by section, then by name with numbers compared as numbers ({@code vcpu2} before
     * {@code vcpu10}) and latency statistics in the report's order (count, p50, ..., min).
     */
    public static List<String> union(List<? extends Map<String, String>> rows) {
        java.util.Set<String> all = new java.util.HashSet<>();
        for (Map<String, String> row : rows) {
            all.addAll(row.keySet());
        }
        List<String> names = new ArrayList<>(all);
        names.sort(Comparator.comparing(ReportColumns::section).thenComparing(ReportColumns::sortKey));
        return names;
    }

    private static String sortKey(String name) {
        int run = RUN_COLUMNS.indexOf(name);
        if (run >= 0) {
            return Integer.toString(run);
        }
        if (name.startsWith("latency.")) {
            int dot = name.lastIndexOf('.');
            int stat = LATENCY_STATS.indexOf(name.substring(dot + 1));
            return naturalKey(name.substring(0, dot)) + "\u0000" + stat;
        }
        return naturalKey(name);
    }

    /** Sorts names with their numbers as numbers ({@code vcpu2} before {@code vcpu10}). */
    private static String naturalKey(String name) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char ch = name.charAt(i);
            if (Character.isDigit(ch) && (i == 0 || name.charAt(i - 1) != 'x')) {
                int j = i;
                while (j < name.length() && Character.isDigit(name.charAt(j))) {
                    j++;
                }
                String digits = name.substring(i, j);
                b.append(String.format("%08d", digits.length())).append(digits);
                i = j;
            } else {
                b.append(ch);
                i++;
            }
        }
        return b.toString();
    }

    private static String number(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n == null || !(n.isIntegralNumber() || n.isTextual() && n.asText().matches("[0-9]+"))) {
            throw missing(key, "an integer");
        }
        return n.asText();
    }

    private static JsonNode object(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n == null || !n.isObject()) {
            throw missing(key, "an object");
        }
        return n;
    }

    private static JsonNode array(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        if (n == null || !n.isArray()) {
            throw missing(key, "an array");
        }
        return n;
    }

    private static IllegalArgumentException missing(String key, String what) {
        return new IllegalArgumentException("not a kvmsim report: '" + key + "' is missing or not " + what);
    }
}
