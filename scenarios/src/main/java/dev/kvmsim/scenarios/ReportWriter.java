package dev.kvmsim.scenarios;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a {@link Report} as JSON with a fixed key order (the order of docs/scenarios.md),
 * sorted maps, no timestamps: the same report gives the same bytes.
 */
public final class ReportWriter {
    private static final JsonFactory JSON = new JsonFactory();

    private ReportWriter() {}

    /** The report as pretty-printed JSON, ending with a newline. */
    public static String json(Report r) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            g.setPrettyPrinter(pp);
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out + "\n";
    }

    private static void write(JsonGenerator g, Report r) throws IOException {
        g.writeStartObject();
        g.writeStringField("scenario", r.scenario());
        g.writeFieldName("seed");
        g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(r.seed())));
        g.writeNumberField("simulated_ns", r.simulatedNs());
        g.writeNumberField("events", r.events());
        g.writeArrayFieldStart("steps");
        for (Report.StepResult s : r.steps()) {
            g.writeStartObject();
            g.writeNumberField("index", s.index());
            g.writeNumberField("line", s.line());
            g.writeStringField("action", s.action());
            g.writeNumberField("at_ns", s.atNs());
            g.writeStringField("result", s.result());
            if (s.expected() == null) {
                g.writeNullField("expected");
            } else {
                g.writeStringField("expected", s.expected());
            }
            g.writeBooleanField("ok", s.ok());
            if (s.completion() != null) {
                g.writeStringField("completion", s.completion());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("eventfds");
        for (Map.Entry<String, Report.EventfdState> e : r.eventfds().entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            g.writeStringField("counter", Long.toUnsignedString(e.getValue().counter()));
            g.writeFieldName("signals");
            g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(e.getValue().signals())));
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("vcpus");
        for (Report.VcpuState v : r.vcpus()) {
            g.writeStartObject();
            g.writeNumberField("vcpu", v.vcpu());
            g.writeObjectFieldStart("delivered");
            for (Map.Entry<Integer, Long> e : v.delivered().entrySet()) {
                g.writeNumberField(String.format("0x%02x", e.getKey()), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("exits");
            for (Map.Entry<String, Long> e : v.exits().entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (!v.haltPoll().isEmpty()) {
                g.writeObjectFieldStart("halt_poll");
                for (Map.Entry<String, Long> e : v.haltPoll().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("userspace_exits");
        for (Report.UserspaceExitCount u : r.userspaceExits()) {
            g.writeStartObject();
            g.writeStringField("kind", u.kind());
            g.writeStringField("addr", "0x" + Long.toHexString(u.addr()));
            g.writeNumberField("len", u.len());
            g.writeStringField("data", "0x" + Long.toHexString(u.data()));
            g.writeNumberField("count", u.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (!r.threads().isEmpty()) {
            g.writeArrayFieldStart("threads");
            for (Report.ThreadState t : r.threads()) {
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeNumberField("wakeups", t.wakeups());
                g.writeNumberField("polled_wakeups", t.polledWakeups());
                g.writeNumberField("services", t.services());
                g.writeNumberField("poll_cpu_ns", t.pollCpuNs());
                g.writeNumberField("poll_ns", t.pollNs());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!r.cpuUse().isEmpty()) {
            g.writeArrayFieldStart("host_cpus");
            for (Report.CpuUse c : r.cpuUse()) {
                g.writeStartObject();
                g.writeStringField("task", c.task());
                g.writeNumberField("cpu", c.cpu());
                g.writeNumberField("run_ns", c.runNs());
                g.writeNumberField("runnable_wait_ns", c.runnableWaitNs());
                g.writeNumberField("delayed_switches", c.delayedSwitches());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("latencies");
        for (Map.Entry<String, Report.LatencyStats> e : r.latencies().entrySet()) {
            Report.LatencyStats l = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            g.writeNumberField("count", l.count());
            g.writeNumberField("p50", l.p50());
            g.writeNumberField("p90", l.p90());
            g.writeNumberField("p99", l.p99());
            g.writeNumberField("max", l.max());
            g.writeNumberField("mean", l.mean());
            g.writeNumberField("min", l.min());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("expectations");
        for (Report.ExpectationResult x : r.expectations()) {
            g.writeStartObject();
            g.writeStringField("description", x.description());
            g.writeStringField("expected", x.expected());
            g.writeStringField("actual", x.actual());
            g.writeBooleanField("passed", x.passed());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (r.stopped() != null) {
            g.writeStringField("stopped", r.stopped());
        }
        g.writeBooleanField("passed", r.passed());
        g.writeEndObject();
    }
}
