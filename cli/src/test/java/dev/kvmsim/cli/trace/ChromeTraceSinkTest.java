package dev.kvmsim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvmsim.cli.FakeTraces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChromeTraceSinkTest {
    @TempDir
    Path dir;

    private JsonNode write(int notifications) throws Exception {
        Path out = dir.resolve("t.json");
        ChromeTraceSink sink = new ChromeTraceSink(TraceFile.open(out), "kvmsim: test");
        for (int i = 0; i < notifications; i++) {
            FakeTraces.notification(i * 10_000L).forEach(sink::accept);
        }
        sink.close();
        return new ObjectMapper().readTree(out.toFile());
    }

    @Test
    void shouldNameOneTrackPerTask() throws Exception {
        JsonNode root = write(1);
        Set<String> names = new HashSet<>();
        for (JsonNode e : root.get("traceEvents")) {
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name")) {
                names.add(e.get("args").get("name").asText());
            }
        }
        assertEquals(Set.of("vcpu0", "vhost-net"), names);
    }

    @Test
    void shouldWriteExitsAndHandlerAsCompleteEvents() throws Exception {
        JsonNode root = write(1);
        Map<String, JsonNode> spans = new HashMap<>();
        for (JsonNode e : root.get("traceEvents")) {
            if (e.get("ph").asText().equals("X") && e.get("dur").asDouble() > 0) {
                spans.put(e.get("name").asText(), e);
            }
        }
        // kvm_exit at 0 -> kvm_entry at 600 ns
        assertEquals(0.0, spans.get("EPT_MISCONFIG").get("ts").asDouble());
        assertEquals(0.6, spans.get("EPT_MISCONFIG").get("dur").asDouble(), 1e-9);
        // handler: entry after kvm_inj_virq (5.5 us) to the APIC_WRITE exit of its EOI (6.5 us)
        assertEquals(5.5, spans.get("handler vec 0x22").get("ts").asDouble(), 1e-9);
        assertEquals(1.0, spans.get("handler vec 0x22").get("dur").asDouble(), 1e-9);
    }

    @Test
    void shouldDrawOneFlowPerNotificationFromIoeventfdToApic() throws Exception {
        JsonNode root = write(2);
        Map<Long, List<String>> flows = new HashMap<>();
        for (JsonNode e : root.get("traceEvents")) {
            String ph = e.get("ph").asText();
            if (ph.equals("s") || ph.equals("t") || ph.equals("f")) {
                flows.computeIfAbsent(e.get("id").asLong(), k -> new ArrayList<>()).add(ph + "@" + e.get("ts").asText());
            }
        }
        assertEquals(2, flows.size());
        // the ioeventfd's eventfd_signal of kick0 at 0.45us, vhost-net reads kick0 at 1.6us and
        // signals call0 at 4.6us, the irqfd of call0 wakes at 4.65us, the APIC accepts at 4.75us
        assertEquals(List.of("s@0.45", "t@1.6", "t@4.6", "t@4.65", "f@4.75"), flows.get(1L));
        assertTrue(flows.get(2L).get(0).startsWith("s@10.45"));
    }
}
