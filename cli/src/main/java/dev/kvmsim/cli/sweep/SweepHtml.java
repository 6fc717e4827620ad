package dev.kvmsim.cli.sweep;

import dev.kvmsim.core.Durations;
import dev.kvmsim.scenarios.ReportColumns;
import dev.kvmsim.scenarios.sweep.SweepParam;
import dev.kvmsim.scenarios.sweep.SweepRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep as one self-contained HTML page (no script, no network: inline CSS and SVG): the
 * grid, then for each chosen metric and each parameter a plot of the metric against the
 * parameter, every run a dot and the mean of the runs at each value a line, one line per
 * combination of the other parameters (up to {@link #MAX_SERIES}; beyond, one line for all).
 */
public final class SweepHtml {
    static final int MAX_SERIES = 8;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};
    private static final int W = 640;
    private static final int H = 340;
    private static final int L = 80;
    private static final int R = 150;
    private static final int T = 20;
    private static final int B = 50;

    private SweepHtml() {}

    public static String write(String scenario, List<SweepParam> params, int runs, List<String> metrics, List<SweepRow> rows) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>kvmsim sweep: ")
                .append(esc(scenario)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}figure{margin:1.5em 0}")
                .append("svg text{font-size:11px;font-family:sans-serif}.axis{stroke:#444}.grid{stroke:#eee}\n")
                .append("</style></head><body>\n");
        b.append("<h1>kvmsim sweep: ").append(esc(scenario)).append("</h1>\n<table><tr><th>parameter</th><th>values</th></tr>\n");
        for (SweepParam p : params) {
            b.append("<tr><td><code>").append(esc(p.path())).append("</code></td><td>")
                    .append(esc(String.join(", ", p.values()))).append("</td></tr>\n");
        }
        b.append("<tr><td>runs per point</td><td>").append(runs).append("</td></tr>\n<tr><td>runs</td><td>")
                .append(rows.size()).append("</td></tr></table>\n");
        for (String metric : metrics) {
            for (int k = 0; k < params.size(); k++) {
                b.append("<figure><figcaption><code>").append(esc(metric)).append("</code> against <code>")
                        .append(esc(params.get(k).path())).append("</code></figcaption>\n");
                plot(b, params, k, metric, rows);
                b.append("</figure>\n");
            }
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void plot(StringBuilder b, List<SweepParam> params, int k, String metric, List<SweepRow> rows) {
        List<String> xs = params.get(k).values();
        double[] xpos = positions(xs);
        Map<String, List<double[]>> series = new LinkedHashMap<>();   // series -> (x index, y)
        for (SweepRow r : rows) {
            String y = r.columnsView().get(metric);
            if (y == null) {
                continue;
            }
            StringBuilder key = new StringBuilder();
            for (int j = 0; j < params.size(); j++) {
                if (j != k) {
                    key.append(key.length() == 0 ? "" : ", ").append(r.point().overrides().get(j));
                }
            }
            int xi = xs.indexOf(r.point().overrides().get(k).value());
            series.computeIfAbsent(key.toString(), s -> new ArrayList<>()).add(new double[] {xi, Double.parseDouble(y)});
        }
        if (series.size() > MAX_SERIES) {
            List<double[]> all = new ArrayList<>();
            series.values().forEach(all::addAll);
            series = new LinkedHashMap<>(Map.of("all points", all));
        }
        if (series.isEmpty()) {
            b.append("<p>(no run reports this metric)</p>\n");
            return;
        }
        double ymin = Double.MAX_VALUE;
        double ymax = -Double.MAX_VALUE;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                ymin = Math.min(ymin, p[1]);
                ymax = Math.max(ymax, p[1]);
            }
        }
        if (ymax == ymin) {
            ymax = ymin + Math.max(1, Math.abs(ymin) * 0.1);
            ymin = Math.max(0, ymin - (ymax - ymin));
        }
        double pad = (ymax - ymin) * 0.05;
        ymin -= pad;
        ymax += pad;
        boolean ns = ReportColumns.isNanoseconds(metric);
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", W, H, W, H));
        int pw = W - L - R;
        int ph = H - T - B;
        for (int t = 0; t <= 4; t++) {
            double v = ymin + (ymax - ymin) * t / 4;
            double y = T + ph - ph * t / 4.0;
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", L, y, L + pw, y));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", L - 6, y + 4, esc(label(v, ns))));
        }
        for (int i = 0; i < xs.size(); i++) {
            double x = L + pw * xpos[i];
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, T + ph + 16, esc(xs.get(i))));
        }
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                L, T, L, T + ph, L, T + ph, L + pw, T + ph));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", L + pw / 2, H - 8, esc(params.get(k).path())));
        int c = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            String color = COLORS[c % COLORS.length];
            double[] sum = new double[xs.size()];
            int[] n = new int[xs.size()];
            for (double[] p : s.getValue()) {
                int xi = (int) p[0];
                sum[xi] += p[1];
                n[xi]++;
                double x = L + pw * xpos[xi];
                double y = T + ph - ph * (p[1] - ymin) / (ymax - ymin);
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" fill-opacity=\"0.45\"><title>%s</title></circle>",
                        x, y, color, esc(label(p[1], ns))));
            }
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < xs.size(); i++) {
                if (n[i] > 0) {
                    double mean = sum[i] / n[i];
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", L + pw * xpos[i], T + ph - ph * (mean - ymin) / (ymax - ymin)));
                }
            }
            b.append(String.format(Locale.ROOT, "\n<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n", color, pts.toString().strip()));
            String name = s.getKey().isEmpty() ? "mean" : s.getKey();
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n",
                    L + pw + 10, T + 14 * c, color, L + pw + 24, T + 14 * c + 9, esc(name)));
            c++;
        }
        b.append("</svg>\n");
    }

    /** Where each value goes on the x axis, 0..1: by magnitude when all are numbers or durations, else evenly. */
    static double[] positions(List<String> xs) {
        double[] v = new double[xs.size()];
        boolean numeric = true;
        for (int i = 0; i < xs.size() && numeric; i++) {
            Double d = number(xs.get(i));
            if (d == null) {
                numeric = false;
            } else {
                v[i] = d;
            }
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double d : v) {
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        double[] out = new double[xs.size()];
        for (int i = 0; i < xs.size(); i++) {
            if (xs.size() == 1) {
                out[i] = 0.5;
            } else if (numeric && max > min) {
                out[i] = 0.04 + 0.92 * (v[i] - min) / (max - min);
            } else {
                out[i] = 0.04 + 0.92 * i / (xs.size() - 1);
            }
        }
        return out;
    }

    private static Double number(String s) {
        try {
            return (double) Durations.parse(s);
        } catch (IllegalArgumentException e) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }

    /** A value with 3 significant digits, as a duration for ns columns. */
    private static String label(double v, boolean ns) {
        double r = v == 0 ? 0 : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
        if (ns) {
            return Durations.format(Math.round(Math.max(0, r)));
        }
        return r == Math.rint(r) && Math.abs(r) < 1e15 ? Long.toString((long) r) : String.format(Locale.ROOT, "%.3g", r);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
