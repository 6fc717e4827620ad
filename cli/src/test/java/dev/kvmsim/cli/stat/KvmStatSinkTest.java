package dev.kvmsim.cli.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.cli.FakeEvent;
import dev.kvmsim.cli.FakeTraces;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvmStatSinkTest {
    @Test
    void vmexit_pairsEachExitWithTheNextEntryOfTheSameVcpu() {
        KvmStatSink s = new KvmStatSink(KvmStatEvent.VMEXIT);
        // interleaved vCPUs: vcpu1's entry must not close vcpu0's exit
        s.accept(FakeTraces.pio(0, 1000, "vcpu0").get(0));
        FakeTraces.pio(100, 3000, "vcpu1").forEach(s::accept);
        s.accept(FakeTraces.pio(0, 1000, "vcpu0").get(1));
        s.accept(FakeTraces.pio(0, 1000, "vcpu0").get(2));
        List<KvmStatSink.Row> rows = s.rows();
        assertEquals(1, rows.size());
        KvmStatSink.Row r = rows.get(0);
        assertEquals("IO_INSTRUCTION", r.key());
        assertEquals(2, r.samples());
        assertEquals(1000, r.minNs());
        assertEquals(3000, r.maxNs());
        assertEquals(2000.0, r.avgNs());
        // perf stddev_stats: sqrt(var/n) = sqrt(2e6/2) = 1000; rel = 100*1000/2000
        assertEquals(50.0, r.relStddevPercent(), 1e-9);
    }

    @Test
    void vmexit_ignoresAnEntryWithoutAnExit() {
        KvmStatSink s = new KvmStatSink(KvmStatEvent.VMEXIT);
        s.accept(FakeTraces.pio(0, 500, "vcpu0").get(2));
        assertTrue(s.rows().isEmpty());
    }

    @Test
    void ioport_keysByPortAndDirectionAndTimesFromKvmPio() {
        KvmStatSink s = new KvmStatSink(KvmStatEvent.IOPORT);
        FakeTraces.pio(0, 1000, "vcpu0").forEach(s::accept);
        KvmStatSink.Row r = s.rows().get(0);
        assertEquals("0x510:POUT", r.key());
        assertEquals(900, r.totalNs()); // kvm_pio at +100 to kvm_entry at +1000
    }

    @Test
    void mmio_writeFromKvmMmioToEntry_fastMmioNotCounted() {
        KvmStatSink s = new KvmStatSink(KvmStatEvent.MMIO);
        FakeTraces.notification(0).forEach(s::accept);
        s.accept(FakeEvent.tp(20_000, "vcpu0", 0, "kvm_exit", "vcpu 0 reason EPT_MISCONFIG rip 0x1", ""));
        s.accept(FakeEvent.tp(20_100, "vcpu0", 0, "kvm_fast_mmio", "fast mmio at gpa 0xfe004000", ""));
        s.accept(FakeEvent.tp(20_300, "vcpu0", 0, "kvm_entry", "vcpu 0, rip 0x4", ""));
        List<KvmStatSink.Row> rows = s.rows();
        assertEquals(1, rows.size());
        assertEquals("0xfe003000:W", rows.get(0).key());
        assertEquals(300, rows.get(0).totalNs()); // kvm_mmio at 300 to kvm_entry at 600
    }

    @Test
    void render_matchesPerfKvmStatReportLayout() {
        // exits: EPT_MISCONFIG 0-600, EXTERNAL_INTERRUPT 5000-5500, APIC_WRITE 6500-7000; ties by name
        KvmStatSink s = new KvmStatSink(KvmStatEvent.VMEXIT);
        FakeTraces.notification(0).forEach(s::accept);
        String out = KvmStatReport.render(s);
        String expected = String.join("\n",
                "",
                "Analyze events for all VMs, all VCPUs:",
                "",
                "             VM-EXIT    Samples  Samples%     Time%    Min Time    Max Time         Avg time",
                "",
                "          APIC_WRITE          1    33.33%    31.25%      0.50us      0.50us      0.50us ( +-   0.00% )",
                "       EPT_MISCONFIG          1    33.33%    37.50%      0.60us      0.60us      0.60us ( +-   0.00% )",
                "  EXTERNAL_INTERRUPT          1    33.33%    31.25%      0.50us      0.50us      0.50us ( +-   0.00% )",
                "",
                "Total Samples:3, Total events handled time:1.60us.",
                "");
        assertEquals(expected, out);
    }
}
