package dev.kvmsim.cli.trace;

import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;

/**
 * Writes one JSON object per trace event, one per line:
 * {@code {"time_ns":123,"task":"vcpu0","cpu":0,"event":"kvm_exit","function":"vmx_handle_exit",
 * "fields":"vcpu 0 reason ...","tracepoint":true}}. Every event is written, tracepoints and
 * model-only steps alike. Bounded memory: one line at a time.
 */
public final class JsonlSink implements TraceSink {
    private final TraceFile file;
    private final StringBuilder line = new StringBuilder(256);

    public JsonlSink(TraceFile file) {
        this.file = file;
    }

    @Override
    public void accept(TraceEvent e) {
        line.setLength(0);
        line.append("{\"time_ns\":").append(e.time());
        line.append(",\"task\":");
        Json.string(line, e.task());
        line.append(",\"cpu\":").append(e.cpu());
        line.append(",\"event\":");
        Json.string(line, e.event());
        line.append(",\"function\":");
        Json.string(line, e.function());
        line.append(",\"fields\":");
        Json.string(line, e.fields());
        line.append(",\"tracepoint\":").append(e.tracepoint()).append("}\n");
        file.write(line.toString());
    }

    @Override
    public void close() {
        file.close();
    }
}
