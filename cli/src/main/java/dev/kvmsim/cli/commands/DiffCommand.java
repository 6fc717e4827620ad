package dev.kvmsim.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.core.Durations;
import dev.kvmsim.scenarios.ReportColumns;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim diff A.json B.json}: two reports side by side, differences marked. */
@Command(name = "diff", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare two JSON reports (kvmsim run --report) side by side: run totals, eventfd counters, "
                + "deliveries, exits, userspace exits and latency metrics; a '*' marks a value that differs beyond the tolerance.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim diff before.json after.json",
                "  kvmsim diff before.json after.json --tolerance 5% --only-differences",
                "",
                "A value missing from one report counts as a difference.",
                "Exit codes: 0 no difference beyond the tolerance, 1 a difference, 2 invalid input."})
public final class DiffCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The first report.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The second report.")
    Path b;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "0",
            description = "How far a value may move without counting as a difference: a percentage of A's value (5%%) "
                    + "or an absolute amount (a number; ns for latencies). Default: ${DEFAULT-VALUE} (any change counts).")
    String tolerance;

    @Option(names = {"-d", "--only-differences"}, description = "Show only the values that differ (at all).")
    boolean onlyDifferences;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() {
        Tolerance tol = Tolerance.parse(tolerance);
        JsonNode ra = read(a);
        JsonNode rb = read(b);
        Map<String, String> ca = columns(a, ra);
        Map<String, String> cb = columns(b, rb);
        List<String> names = ReportColumns.union(List.of(ca, cb));
        PrintWriter out = spec.commandLine().getOut();
        out.println("A: " + a + "  (" + ra.path("scenario").asText() + ", seed " + ra.path("seed").asText() + ")");
        out.println("B: " + b + "  (" + rb.path("scenario").asText() + ", seed " + rb.path("seed").asText() + ")");
        List<String[]> rows = new ArrayList<>();
        List<ReportColumns.Section> sections = new ArrayList<>();
        int beyond = 0;
        int differ = 0;
        for (String name : names) {
            String va = ca.get(name);
            String vb = cb.get(name);
            boolean same = va != null && va.equals(vb);
            boolean marked = !same && !tol.allows(va, vb);
            if (!same) {
                differ++;
            }
            if (marked) {
                beyond++;
            }
            if (onlyDifferences && same) {
                continue;
            }
            rows.add(new String[] {name, show(name, va), show(name, vb), change(va, vb), marked ? "*" : ""});
            sections.add(ReportColumns.section(name));
        }
        print(out, rows, sections);
        out.println(String.format(Locale.ROOT, "%d of %d values differ, %d beyond the tolerance (%s)",
                differ, names.size(), beyond, tol));
        out.flush();
        return beyond == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    private static void print(PrintWriter out, List<String[]> rows, List<ReportColumns.Section> sections) {
        int[] w = {4, 1, 1, 6};
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        out.println(String.format(Locale.ROOT, "  %-" + w[0] + "s  %" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s",
                "", "A", "B", "change"));
        ReportColumns.Section current = null;
        for (int i = 0; i < rows.size(); i++) {
            if (sections.get(i) != current) {
                current = sections.get(i);
                out.println(current.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
            String[] r = rows.get(i);
            out.println(String.format(Locale.ROOT, "  %-" + w[0] + "s  %" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s  %s",
                    r[0], r[1], r[2], r[3], r[4]).stripTrailing());
        }
    }

    private static String show(String name, String v) {
        if (v == null) {
            return "-";
        }
        return ReportColumns.isNanoseconds(name) ? Durations.format(Long.parseLong(v)) : v;
    }

    private static String change(String va, String vb) {
        if (va == null || vb == null) {
            return va == null ? "added" : "removed";
        }
        BigDecimal x = new BigDecimal(va);
        BigDecimal y = new BigDecimal(vb);
        int cmp = x.compareTo(y);
        if (cmp == 0) {
            return "";
        }
        if (x.signum() == 0) {
            return "+" + y.subtract(x).toPlainString();
        }
        BigDecimal pct = y.subtract(x).multiply(BigDecimal.valueOf(100)).divide(x.abs(), MathContext.DECIMAL64);
        return String.format(Locale.ROOT, "%+.1f%%", pct.doubleValue());
    }

    private static JsonNode read(Path p) {
        try {
            return JSON.readTree(Files.readString(p));
        } catch (NoSuchFileException e) {
            throw new UserError(p + ": no such file");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new UserError(p + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr())
                    + ": not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("") + " (expected a report of kvmsim run --report)");
        } catch (IOException e) {
            throw new UserError(p + ": cannot read: " + e.getMessage());
        }
    }

    private static LinkedHashMap<String, String> columns(Path p, JsonNode report) {
        try {
            return ReportColumns.of(report);
        } catch (IllegalArgumentException e) {
            throw new UserError(p + ": " + e.getMessage() + " (expected a report of kvmsim run --report)");
        }
    }

    /** How far two values may be apart: a fraction of A's value, or an absolute amount. */
    record Tolerance(BigDecimal amount, boolean relative, String text) {
        static Tolerance parse(String s) {
            String t = s.strip();
            boolean rel = t.endsWith("%");
            try {
                BigDecimal v = new BigDecimal(rel ? t.substring(0, t.length() - 1).strip() : t);
                if (v.signum() < 0) {
                    throw new NumberFormatException();
                }
                return new Tolerance(rel ? v.movePointLeft(2) : v, rel, t);
            } catch (NumberFormatException e) {
                throw new UserError("--tolerance '" + s + "': expected a percentage (5%) or a non-negative number (100)");
            }
        }

        boolean allows(String va, String vb) {
            if (va == null || vb == null) {
                return false;
            }
            BigDecimal x = new BigDecimal(va);
            BigDecimal d = new BigDecimal(vb).subtract(x).abs();
            BigDecimal limit = relative ? x.abs().multiply(amount) : amount;
            return d.compareTo(limit) <= 0;
        }

        @Override
        public String toString() {
            return "tolerance " + text;
        }
    }
}
