package dev.kvmsim.kvm.trace;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The TP_printk formats of docs/kernel-model.md#tracepoints (arch/x86/kvm/trace.h, include/trace/events/kvm.h). */
class KvmTracepointFormatTest {
    @Test
    void kvmExit() {
        assertEquals("vcpu 0 reason EPT_MISCONFIG rip 0xffffffff81000010 info1 0x0000000000000000 info2 0x0000000000000000"
                        + " intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000",
                new KvmExit(0, 0, "EPT_MISCONFIG", 0xffffffff81000010L, 0, 0, 0, 0, 0).fields());
        assertEquals("vcpu 1 reason EXTERNAL_INTERRUPT rip 0x10 info1 0x0000000000000000 info2 0x0000000000000000"
                        + " intr_info 0x800000fd error_code 0x00000000 requests 0x0000000000000000",
                new KvmExit(0, 1, "EXTERNAL_INTERRUPT", 0x10, 0, 0, 0x800000fd, 0, 0).fields());
    }

    @Test
    void kvmEntry() {
        assertEquals("vcpu 0, rip 0x1000 intr_info 0x80000031 error_code 0x00000000",
                new KvmEntry(0, 0, 0x1000, 0x80000031, 0, false).fields());
        assertEquals("vcpu 0, rip 0x1000 intr_info 0x00000000 error_code 0x00000000[immediate exit]",
                new KvmEntry(0, 0, 0x1000, 0, 0, true).fields());
    }

    @Test
    void kvmInjVirq() {
        assertEquals("IRQ 0x31", new KvmInjVirq(0, 0, 0x31, false, false).fields());
        assertEquals("Soft/INTn 0x80 [reinjected]", new KvmInjVirq(0, 0, 0x80, true, true).fields());
    }

    @Test
    void kvmMmioPioFastMmioUserspaceExit() {
        assertEquals("mmio write len 4 gpa 0xfe003000 val 0x1", new KvmMmio(0, 0, "write", 4, 0xfe003000L, 1).fields());
        assertEquals("pio_write at 0x510 size 2 count 1 val 0x7 ", new KvmPio(0, 0, false, 0x510, 2, 1, 7).fields());
        assertEquals("pio_write at 0x510 size 1 count 4 val 0x7 (...)", new KvmPio(0, 0, false, 0x510, 1, 4, 7).fields());
        assertEquals("fast mmio at gpa 0xfe003000", new KvmFastMmio(0, 0, 0xfe003000L).fields());
        assertEquals("reason KVM_EXIT_MMIO (6)", new KvmUserspaceExit(0, 0, "KVM_EXIT_MMIO", 6).fields());
    }

    @Test
    void modelOnlyRecordsAreNotTracepoints() {
        KvmIoBusWrite w = new KvmIoBusWrite(0, 0, "KVM_MMIO_BUS", 0xfe003000L, 4, 2, 3, 2, -1, "",
                "ioeventfd KVM_MMIO_BUS 0xfe003000/4 datamatch 0x1 -> kick0: datamatch 0x2 != 0x1");
        assertFalse(w.tracepoint());
        assertEquals("KVM_MMIO_BUS write at 0xfe003000 len 4 val 0x2: 2 of 3 range(s) in range; declined: "
                + "ioeventfd KVM_MMIO_BUS 0xfe003000/4 datamatch 0x1 -> kick0: datamatch 0x2 != 0x1; no device accepted (-EOPNOTSUPP)",
                w.fields());
        assertEquals("vcpu0", w.task());
    }
}
