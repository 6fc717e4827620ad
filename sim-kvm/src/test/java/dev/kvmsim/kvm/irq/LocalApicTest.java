package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irq.IrqTestSupport.*;
import static dev.kvmsim.kvm.irq.KvmSetIrqTest.level;
import static dev.kvmsim.kvm.irqchip.Apic.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.kvm.irqchip.LocalApic;
import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#lapic: __apic_update_ppr, apic_has_interrupt_for_ppr, kvm_apic_ack_interrupt, apic_set_eoi, SVR. */
class LocalApicTest {
    private final IrqTestSupport t = IrqTestSupport.kernelIrqchip(1, GuestState.BOOTED);
    private final LocalApic apic = t.apic(0);

    // apic_has_interrupt_for_ppr: the highest IRR vector's class must be above PPR
    @Test
    void pendingVector_gatedByTpr() {
        apic.acceptIrq(APIC_DM_FIXED, 0x45, true, false, null);
        assertEquals(0x45, apic.pendingVector());
        apic.regWrite(APIC_TASKPRI, 0x40);
        assertEquals(-1, apic.pendingVector(), "class 4 <= PPR 0x40");
        apic.regWrite(APIC_TASKPRI, 0x3f);
        assertEquals(0x45, apic.pendingVector());
    }

    // __apic_update_ppr: an in-service vector raises PPR to its class
    @Test
    void pendingVector_gatedByIsrClass() {
        apic.acceptIrq(APIC_DM_FIXED, 0x55, true, false, null);
        apic.acknowledge(0x55);
        assertEquals(0x50, apic.ppr());
        apic.acceptIrq(APIC_DM_FIXED, 0x52, true, false, null);
        assertEquals(-1, apic.pendingVector());
        apic.acceptIrq(APIC_DM_FIXED, 0x61, true, false, null);
        assertEquals(0x61, apic.pendingVector());
    }

    // kvm_apic_ack_interrupt: IRR -> ISR; apic_set_eoi: the highest ISR is cleared and returned
    @Test
    void acknowledgeAndEoi() {
        apic.acceptIrq(APIC_DM_FIXED, 0x41, true, false, null);
        apic.acknowledge(0x41);
        assertFalse(apic.irrTest(0x41));
        assertTrue(apic.isrTest(0x41));
        t.events.clear();
        assertEquals(0x41, apic.eoi());
        assertFalse(apic.isrTest(0x41));
        assertEquals(-1, apic.eoi());
        assertEquals(java.util.List.of("kvm_eoi: apicid 0 vector 65", "kvm_eoi: apicid 0 vector -1"), t.trace());
    }

    // EOI register (0xB0), TPR (0x80), SVR (0xF0) through the APIC page at 0xFEE00000
    @Test
    void mmio_eoiTprSvr() {
        assertTrue(apic.mmioWrite(APIC_DEFAULT_BASE + APIC_TASKPRI, 4, 0x20));
        assertEquals(0x20, apic.tpr());
        apic.acceptIrq(APIC_DM_FIXED, 0x41, true, false, null);
        apic.acknowledge(0x41);
        assertTrue(apic.mmioWrite(APIC_DEFAULT_BASE + APIC_EOI, 4, 0));
        assertFalse(apic.isrTest(0x41));
        assertTrue(apic.mmioWrite(APIC_DEFAULT_BASE + APIC_SPIV, 4, 0xff));
        assertFalse(apic.swEnabled());
        assertEquals(0, apic.acceptIrq(APIC_DM_FIXED, 0x42, true, false, null), "software-disabled");
        assertNotEquals(0, apic.lvt0() & APIC_LVT_MASKED, "apic_set_spiv: disable masks LVTs");
        assertFalse(apic.mmioWrite(0xFEC00000L, 4, 0), "not the APIC page");
        long[] out = new long[1];
        assertTrue(apic.mmioRead(APIC_DEFAULT_BASE + APIC_SPIV, 4, out));
        assertEquals(0xff, out[0]);
    }

    // eoiExits: without APICv every EOI exits; with APICv only vectors the IOAPIC handles
    @Test
    void eoiExits_apicv() {
        assertTrue(apic.eoiExits(0x41));
        apic.setApicvActive(true);
        assertFalse(apic.eoiExits(0x41));
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        assertTrue(apic.eoiExits(0x50), "level IOAPIC vector targeting this vCPU");
    }

    // kvm_ioapic_send_eoi under split irqchip: KVM_EXIT_IOAPIC_EOI for level MSI routes of reserved pins
    @Test
    void splitIrqchip_levelMsiEoi_requestsIoapicEoiExit() {
        IrqTestSupport s = new IrqTestSupport();
        assertEquals(0, s.chip.enableSplitIrqchip(24, 0));
        s.chip.setGuestState(GuestState.BOOTED);
        s.addVcpus(1);
        assertEquals(0, s.chip.setGsiRouting(java.util.List.of(
                new MsiRoute(5, msiAddr(0, false, false), 0, msiData(0x50, 0, true))), 0));
        assertEquals(1, s.chip.kvmSetIrq(0, 5, 1, false));
        s.apic(0).acknowledge(0x50);
        assertEquals(0x50, s.apic(0).eoi());
        assertEquals(0x50, s.apic(0).takePendingIoapicEoi());
        assertEquals(-1, s.apic(0).takePendingIoapicEoi());
    }

    // ICR: a fixed IPI goes through kvm_irq_delivery_to_apic
    @Test
    void icr_sendsIpi() {
        IrqTestSupport two = IrqTestSupport.kernelIrqchip(2, GuestState.BOOTED);
        two.apic(0).regWrite(APIC_ICR2, 1 << 24);
        two.apic(0).regWrite(APIC_ICR, 0x4000 | 0xe0);
        assertTrue(two.apic(1).irrTest(0xe0));
    }
}
