package dev.kvmsim.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Simulation;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSinkTest {
    /** A test event that counts how often it is built and rendered. */
    record Ping(long time, String task, int cpu, int n) implements TraceEvent {
        static int built;
        static int rendered;

        Ping {
            built++;
        }

        @Override public String event() { return "ping"; }

        @Override public String fields() {
            rendered++;
            return "n " + n;
        }
    }

    /** An emitter in the style the project requires: build the event only when tracing. */
    private static void emit(Simulation sim, int n) {
        if (sim.tracing()) {
            sim.trace(new Ping(sim.now(), "vcpu0", 0, n));
        }
    }

    private static void model(Simulation sim) {
        for (int i = 0; i < 5; i++) {
            int k = i;
            sim.schedule(i * 1000L, () -> emit(sim, k));
        }
        sim.run();
    }

    @Test
    void tracingOff_buildsAndFormatsNothing() {
        Ping.built = 0;
        Ping.rendered = 0;
        Simulation sim = new Simulation(1);
        assertFalse(sim.tracing());
        model(sim);
        assertEquals(0, Ping.built);
        assertEquals(0, Ping.rendered);
    }

    @Test
    void offSink_meansOff() {
        Simulation sim = new Simulation(1);
        sim.setTraceSink(new MemoryTraceSink());
        assertTrue(sim.tracing());
        sim.setTraceSink(TraceSink.OFF);
        assertFalse(sim.tracing());
        sim.setTraceSink(null);
        assertFalse(sim.tracing());
    }

    @Test
    void memorySink_keepsEventsInOrder_andDoesNotRender() {
        Ping.rendered = 0;
        Simulation sim = new Simulation(1);
        MemoryTraceSink mem = new MemoryTraceSink();
        sim.setTraceSink(mem);
        model(sim);
        assertEquals(5, mem.size());
        assertEquals(List.of(0L, 1000L, 2000L, 3000L, 4000L), mem.events().stream().map(TraceEvent::time).toList());
        assertEquals(5, mem.eventsOf(Ping.class).size());
        assertEquals(0, Ping.rendered);
    }

    @Test
    void textSink_writesOneLinePerEvent() {
        Simulation sim = new Simulation(1);
        StringWriter out = new StringWriter();
        TextTraceSink text = new TextTraceSink(out);
        sim.setTraceSink(text);
        model(sim);
        text.close();
        String[] lines = out.toString().split("\n");
        assertEquals(5, lines.length);
        assertEquals("0ns vcpu0 [000] ping: n 0", lines[0]);
        assertEquals("1us vcpu0 [000] ping: n 1", lines[1]);
        assertEquals("4us vcpu0 [000] ping: n 4", lines[4]);
    }

    @Test
    void textSink_format_padsTheCpuLikeFtrace() {
        assertEquals("1.5us kworker/1:1 [012] ping: n 7", TextTraceSink.format(new Ping(1500, "kworker/1:1", 12, 7)));
        assertEquals("2ms vhost [123] ping: n 1", TextTraceSink.format(new Ping(2_000_000, "vhost", 123, 1)));
    }
}
