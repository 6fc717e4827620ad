package dev.kvmsim.cli.sweep;

import dev.kvmsim.scenarios.ReportColumns;
import dev.kvmsim.scenarios.sweep.Override;
import dev.kvmsim.scenarios.sweep.SweepParam;
import dev.kvmsim.scenarios.sweep.SweepRow;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep as CSV (RFC 4180): one row per run, in grid order; the columns {@code run},
 * {@code point}, {@code repeat}, {@code seed}, each parameter's path, then every report column
 * of any run in {@link ReportColumns#union} order (empty where a run has none). The same rows
 * give the same bytes, whatever order the runs finished in.
 */
public final class SweepCsv {
    private SweepCsv() {}

    /** The report columns of {@code rows}, in their stable order. */
    public static List<String> columns(List<SweepRow> rows) {
        return ReportColumns.union(rows.stream().map(SweepRow::columnsView).toList());
    }

    public static String write(List<SweepParam> params, List<SweepRow> rows) {
        List<String> columns = columns(rows);
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("run", "point", "repeat", "seed"));
        params.forEach(p -> header.add(p.path()));
        header.addAll(columns);
        line(b, header);
        for (SweepRow r : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(Integer.toString(r.point().index()));
            cells.add(Integer.toString(r.point().point()));
            cells.add(Integer.toString(r.point().run()));
            cells.add(Long.toUnsignedString(r.seed()));
            for (Override o : r.point().overrides()) {
                cells.add(o.value());
            }
            for (String c : columns) {
                cells.add(r.columnsView().getOrDefault(c, ""));
            }
            line(b, cells);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(quote(cells.get(i)));
        }
        b.append("\r\n");
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
