package dev.kvmsim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed while it streams a trace (SIGTERM, as Ctrl-C's SIGINT, runs the JVM's shutdown
 * hooks) still leaves a complete, valid JSON file under the final name and no FILE.tmp.
 */
class TraceInterruptTest {
    @TempDir
    Path dir;

    @Test
    void killedWriterLeavesValidChromeJson() throws Exception {
        Path out = dir.resolve("trace.json");
        Path tmp = dir.resolve("trace.json.tmp");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EndlessChromeWriter.class.getName(), out.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            // wait (on the process's own progress, not a timer) until it has flushed some of the trace
            for (int i = 0; i < 600 && (!Files.exists(tmp) || Files.size(tmp) < 64 * 1024); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(tmp) && Files.size(tmp) >= 64 * 1024, "the writer did not start: " + Files.readString(dir.resolve("log")));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.exists(tmp));
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertTrue(root.get("traceEvents").size() > 100);
    }
}
