package dev.kvmsim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvmsim.cli.FakeEvent;
import dev.kvmsim.cli.FakeTraces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSinkTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteOneParsableObjectPerEvent() throws Exception {
        Path out = dir.resolve("t.jsonl");
        JsonlSink sink = new JsonlSink(TraceFile.open(out));
        FakeTraces.notification(0).forEach(sink::accept);
        sink.accept(FakeEvent.model(9000, "vhost-net", 1, "odd", "quote \" backslash \\ tab\t ctrl\u0001", ""));
        sink.close();
        List<String> lines = Files.readAllLines(out);
        assertEquals(FakeTraces.notification(0).size() + 1, lines.size());
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines.get(0));
        assertEquals(0, first.get("time_ns").asLong());
        assertEquals("vcpu0", first.get("task").asText());
        assertEquals("kvm_exit", first.get("event").asText());
        assertEquals("vmx_handle_exit", first.get("function").asText());
        assertEquals(true, first.get("tracepoint").asBoolean());
        JsonNode last = m.readTree(lines.get(lines.size() - 1));
        assertEquals("quote \" backslash \\ tab\t ctrl\u0001", last.get("fields").asText());
        assertEquals(false, last.get("tracepoint").asBoolean());
    }
}
