package dev.kvmsim.cli.stat;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link KvmStatSink} as {@code perf kvm stat report} prints it
 * (tools/perf/builtin-kvm.c print_result): the column widths, the "( +- x% )" relative
 * standard deviation and the closing totals line. Trailing blanks are trimmed.
 */
public final class KvmStatReport {
    /** perf's decode_str_len: the width of the key column. */
    private static final int KEY_WIDTH = 20;

    private KvmStatReport() { }

    public static String render(KvmStatSink stat) {
        List<KvmStatSink.Row> rows = stat.rows();
        long totalCount = 0;
        long totalTime = 0;
        for (KvmStatSink.Row r : rows) {
            totalCount += r.samples();
            totalTime += r.totalNs();
        }
        StringBuilder sb = new StringBuilder();
        sb.append("\nAnalyze events for all VMs, all VCPUs:\n\n");
        line(sb, String.format(Locale.ROOT, "%" + KEY_WIDTH + "s %10s %9s %9s %11s %11s %16s",
                stat.mode().title(), "Samples", "Samples%", "Time%", "Min Time", "Max Time", "Avg time"));
        sb.append('\n');
        for (KvmStatSink.Row r : rows) {
            line(sb, String.format(Locale.ROOT, "%" + KEY_WIDTH + "s %10d %8.2f%% %8.2f%% %9.2fus %9.2fus %9.2fus ( +-%7.2f%% )",
                    r.key(), r.samples(),
                    percent(r.samples(), totalCount), percent(r.totalNs(), totalTime),
                    r.minNs() / 1000.0, r.maxNs() / 1000.0, r.avgNs() / 1000.0, r.relStddevPercent()));
        }
        sb.append(String.format(Locale.ROOT, "\nTotal Samples:%d, Total events handled time:%.2fus.\n",
                totalCount, totalTime / 1000.0));
        return sb.toString();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0.0 : 100.0 * part / whole;
    }

    private static void line(StringBuilder sb, String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        sb.append(s, 0, end).append('\n');
    }
}
