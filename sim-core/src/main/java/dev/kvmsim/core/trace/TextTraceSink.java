package dev.kvmsim.core.trace;

import dev.kvmsim.core.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes one line per event: {@code time task [cpu] event: fields}, the time in compact
 * duration form ({@code 1.5us task vcpu0 ...}); for example
 * {@code 1.5us vcpu0 [000] kvm_exit: vcpu 0 reason EPT_MISCONFIG ...}.
 *
 * <p>Caveats: the writer is not closed by {@link #close} (only flushed), since the caller owns
 * it (it may be {@code System.out}); I/O errors surface as {@link UncheckedIOException}.
 */
public final class TextTraceSink implements TraceSink {
    private final Writer out;
    private final StringBuilder line = new StringBuilder(128);

    public TextTraceSink(Writer out) {
        this.out = out;
    }

    @Override
    public void accept(TraceEvent e) {
        line.setLength(0);
        render(line, e);
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException ex) {
            throw new UncheckedIOException("trace: cannot write", ex);
        }
    }

    /** Renders one event as the line {@link #accept} writes, without the newline. */
    public static String format(TraceEvent e) {
        StringBuilder b = new StringBuilder(128);
        render(b, e);
        return b.toString();
    }

    /** {@code time task [cpu] event: fields}, the CPU zero-padded to three digits like ftrace. */
    private static void render(StringBuilder b, TraceEvent e) {
        b.append(Durations.format(e.time())).append(' ').append(e.task()).append(" [");
        int cpu = e.cpu();
        if (cpu >= 0 && cpu < 100) {
            b.append(cpu < 10 ? "00" : "0");
        }
        b.append(cpu).append("] ").append(e.event()).append(": ").append(e.fields());
    }

    @Override
    public void close() {
        try {
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("trace: cannot flush", ex);
        }
    }
}
