package dev.kvmsim.cli.trace;

import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.util.Locale;

/**
 * Writes tracepoint events as {@code trace-cmd report} prints them:
 * <pre>
 * cpus=2
 *            vcpu0-1000  [000]     0.000123: kvm_exit: vcpu 0 reason EPT_MISCONFIG rip 0x...
 * </pre>
 * Only events with {@link TraceEvent#tracepoint()} true are written (model-only steps have no
 * kernel tracepoint, so a real trace would not show them). Timestamps are simulated seconds
 * with microseconds, truncated as trace-cmd's default display truncates; pids come from
 * {@link TaskIds}. Memory is bounded: one line is formatted at a time into the buffered file.
 */
public final class FtraceSink implements TraceSink {
    private final TraceFile file;
    private final TaskIds ids = new TaskIds();
    private final StringBuilder line = new StringBuilder(160);

    /**
     * @param file where to write
     * @param cpus the {@code cpus=} header value: the number of CPUs the trace covers
     */
    public FtraceSink(TraceFile file, int cpus) {
        this.file = file;
        file.write("cpus=" + cpus + "\n");
    }

    @Override
    public void accept(TraceEvent e) {
        if (!e.tracepoint()) {
            return;
        }
        line.setLength(0);
        format(line, ids.pid(e.task()), e);
        line.append('\n');
        file.write(line.toString());
    }

    /** Formats one event the way trace-cmd report does (without the newline). */
    static void format(StringBuilder sb, int pid, TraceEvent e) {
        String task = e.task();
        pad(sb, task, 16);
        sb.append('-').append(pid);
        int pidLen = Integer.toString(pid).length();
        for (int i = pidLen; i < 5; i++) {
            sb.append(' ');
        }
        sb.append(" [").append(String.format(Locale.ROOT, "%03d", e.cpu())).append("] ");
        long t = e.time();
        pad(sb, Long.toString(t / 1_000_000_000L), 5);
        sb.append('.');
        String micros = Long.toString((t / 1_000L) % 1_000_000L);
        for (int i = micros.length(); i < 6; i++) {
            sb.append('0');
        }
        sb.append(micros).append(": ").append(e.event()).append(": ").append(e.fields());
    }

    private static void pad(StringBuilder sb, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        sb.append(s);
    }

    @Override
    public void close() {
        file.close();
    }
}
