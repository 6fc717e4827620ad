package dev.kvmsim.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.cli.FakeEvent;
import dev.kvmsim.cli.FakeTraces;
import dev.kvmsim.core.trace.TraceEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FtraceSinkTest {
    @TempDir
    Path dir;

    @Test
    void shouldFormatLikeTraceCmdReport() {
        StringBuilder sb = new StringBuilder();
        FtraceSink.format(sb, 1000, FakeEvent.tp(123_456L, "vcpu0", 0, "kvm_pio",
                "pio_write at 0x510 size 2 count 1 val 0x7 ", "emulator_pio_out"));
        // trace-cmd: "%16s-%-5d [%03d] %5lu.%06lu: event: fields"
        assertEquals("           vcpu0-1000  [000]     0.000123: kvm_pio: pio_write at 0x510 size 2 count 1 val 0x7 ",
                sb.toString());
    }

    @Test
    void shouldPrintSecondsAndTruncateToMicroseconds() {
        StringBuilder sb = new StringBuilder();
        FtraceSink.format(sb, 3000, FakeEvent.tp(12_000_001_999L, "kworker/1:1", 1, "kvm_set_irq",
                "gsi 4 level 1 source 0", "kvm_set_irq"));
        assertEquals("     kworker/1:1-3000  [001]    12.000001: kvm_set_irq: gsi 4 level 1 source 0", sb.toString());
    }

    @Test
    void shouldWriteOnlyTracepointsWithHeaderAndStablePids() throws Exception {
        Path out = dir.resolve("t.txt");
        FtraceSink sink = new FtraceSink(TraceFile.open(out), 2);
        List<TraceEvent> events = FakeTraces.notification(1000);
        events.forEach(sink::accept);
        assertFalse(Files.exists(out), "the file appears only when closed");
        sink.close();
        assertFalse(Files.exists(dir.resolve("t.txt.tmp")));
        List<String> lines = Files.readAllLines(out);
        assertEquals("cpus=2", lines.get(0));
        long tracepoints = events.stream().filter(TraceEvent::tracepoint).count();
        assertEquals(tracepoints, lines.size() - 1);
        assertTrue(lines.stream().skip(1).noneMatch(l -> l.contains("eventfd_signal")));
        assertTrue(lines.stream().filter(l -> l.contains("vhost-net-")).allMatch(l -> l.contains("vhost-net-3000 ")));
        assertTrue(lines.stream().filter(l -> l.contains(" vcpu0-")).allMatch(l -> l.contains("vcpu0-1000 ")));
    }

    @Test
    void taskIds_vcpuPidsDoNotDependOnOrder() {
        TaskIds a = new TaskIds();
        a.pid("vhost-net");
        assertEquals(1003, a.pid("vcpu3"));
        assertEquals(3000, a.pid("vhost-net"));
        assertEquals(3001, a.pid("vcpu"));
        assertEquals(-1, TaskIds.vcpuIndex("vcpu0x"));
    }

    /** include/trace/events/sched.h: a switch from a CPU's idle task is printed by swapper/N with pid 0. */
    @Test
    void taskIds_idleTasksArePidZeroAndTakeNoPid() {
        TaskIds a = new TaskIds();
        assertEquals(0, a.pid("swapper/0"));
        assertEquals(0, a.pid("swapper/3"));
        assertEquals(3000, a.pid("vhost-net"));
    }
}
