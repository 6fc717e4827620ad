package dev.kvmsim.cli.stat;

import dev.kvmsim.cli.trace.TraceFields;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory aggregating trace sink that computes what {@code perf kvm stat report} computes
 * from the kvm tracepoints (tools/perf/builtin-kvm.c, tools/perf/arch/x86/util/kvm-stat.c).
 *
 * <p>Pairing, per vCPU task, as perf does: a begin event opens an interval, the matching end
 * event closes it and adds its duration to the interval's key; an end without a begin is
 * ignored; a second begin replaces the first.
 * <ul>
 * <li>vmexit: begin {@code kvm_exit} (key: the exit reason), end {@code kvm_entry}.</li>
 * <li>ioport: begin {@code kvm_pio} (key: port and POUT/PIN), end {@code kvm_entry}.</li>
 * <li>mmio: a read begins at {@code kvm_exit} and ends at {@code kvm_mmio read}; a write
 *     begins at {@code kvm_mmio write} and ends at {@code kvm_entry}. Like perf, it does not
 *     count {@code kvm_fast_mmio} (a length-0 ioeventfd hit has no {@code kvm_mmio}).</li>
 * </ul>
 * Memory is bounded by the number of distinct keys and vCPUs, whatever the run's length.
 */
public final class KvmStatSink implements TraceSink {
    private final KvmStatEvent mode;
    private final Map<String, RunningStats> byKey = new HashMap<>();
    private final Map<String, Open> open = new HashMap<>();

    /** An interval opened by a begin event; key null means "time started, key not known yet". */
    private record Open(long start, String key) { }

    public KvmStatSink(KvmStatEvent mode) {
        this.mode = mode;
    }

    public KvmStatEvent mode() {
        return mode;
    }

    @Override
    public void accept(TraceEvent e) {
        if (!e.tracepoint()) {
            return;
        }
        switch (mode) {
            case VMEXIT -> vmexit(e);
            case IOPORT -> ioport(e);
            case MMIO -> mmio(e);
        }
    }

    /** Models kvm-stat.c exit_event_begin / exit_event_end. */
    private void vmexit(TraceEvent e) {
        switch (e.event()) {
            case "kvm_exit" -> open.put(e.task(), new Open(e.time(), TraceFields.exitReason(e.fields())));
            case "kvm_entry" -> end(e, null);
            default -> { }
        }
    }

    /** Models kvm-stat.c ioport_event_begin / ioport_event_end. */
    private void ioport(TraceEvent e) {
        switch (e.event()) {
            case "kvm_pio" -> open.put(e.task(), new Open(e.time(), pioKey(e.fields())));
            case "kvm_entry" -> end(e, null);
            default -> { }
        }
    }

    /** Models kvm-stat.c mmio_event_begin / mmio_event_end. */
    private void mmio(TraceEvent e) {
        switch (e.event()) {
            case "kvm_exit" -> open.put(e.task(), new Open(e.time(), null));
            case "kvm_mmio" -> {
                String type = TraceFields.word(e.fields(), "mmio");
                String key = hex(TraceFields.number(e.fields(), "gpa"));
                if (type.equals("write")) {
                    open.put(e.task(), new Open(e.time(), key + ":W"));
                } else if (type.equals("read")) {
                    end(e, key + ":R");
                }
            }
            case "kvm_entry" -> end(e, null);
            default -> { }
        }
    }

    private void end(TraceEvent e, String keyAtEnd) {
        Open o = open.remove(e.task());
        if (o == null) {
            return;
        }
        String key = keyAtEnd != null ? keyAtEnd : o.key();
        if (key == null || key.isEmpty()) {
            return;
        }
        byKey.computeIfAbsent(key, k -> new RunningStats()).add(e.time() - o.start());
    }

    private static String pioKey(String fields) {
        // "pio_write at 0x510 size 2 count 1 val 0x7 "
        boolean write = fields.startsWith("pio_write");
        return hex(TraceFields.number(fields, "at")) + (write ? ":POUT" : ":PIN");
    }

    /** C's %#llx: "0x" prefix except for zero. */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    /** One row of the report. */
    public record Row(String key, long samples, long totalNs, long minNs, long maxNs, double relStddevPercent) {
        public double avgNs() {
            return samples == 0 ? 0 : (double) totalNs / samples;
        }
    }

    /** The rows sorted as perf's default {@code --key sample}: most samples first (ties by name). */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>(byKey.size());
        byKey.forEach((k, s) -> rows.add(new Row(k, s.n, s.total, s.min, s.max, s.relStddevPercent())));
        rows.sort(Comparator.comparingLong(Row::samples).reversed().thenComparing(Row::key));
        return rows;
    }
}
