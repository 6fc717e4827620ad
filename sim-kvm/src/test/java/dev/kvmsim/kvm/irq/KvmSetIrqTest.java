package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irq.IrqTestSupport.*;
import static dev.kvmsim.kvm.irqchip.Apic.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.irqchip.Ioapic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#kvm_set_irq, #ioapic: kvm_set_irq, line state, IOAPIC (ioapic.c), KVM_IRQ_LINE_STATUS, RTC coalescing. */
class KvmSetIrqTest {
    /** An unmasked edge entry to vCPU 0 (physical). */
    static long edge(int vector, int dest) {
        return vector | ((long) dest << 56);
    }

    static long level(int vector, int dest) {
        return edge(vector, dest) | Ioapic.TRIG_LEVEL;
    }

    private final IrqTestSupport t = IrqTestSupport.kernelIrqchip(1, GuestState.BOOTED);

    // kvm_set_irq: ret = -1; r < 0 skipped; else ret = r + max(ret, 0): IOAPIC 1 + PIC 1 = 2
    @Test
    void kvmSetIrq_sumsNonNegativeResultsOverChips() {
        IrqTestSupport r = IrqTestSupport.kernelIrqchip(1, GuestState.RESET);
        r.apic(0).setBooted();
        r.chip.ioapic().programEntry(4, edge(0x34, 0));
        assertEquals(2, r.chip.kvmSetIrq(0, 4, 1, false), "IOAPIC delivered to 1 CPU, unmasked PIC 1");
        // booted: the PIC is masked (-1, skipped), the IOAPIC reached one CPU
        t.chip.ioapic().programEntry(4, edge(0x34, 0));
        assertEquals(1, t.chip.kvmSetIrq(0, 4, 1, false));
    }

    // kvm_set_irq: every route masked or absent -> -1
    @Test
    void kvmSetIrq_maskedEverywhere_isMinusOne() {
        assertEquals(-1, t.chip.kvmSetIrq(0, 4, 1, false), "IOAPIC reset state masked, PIC masked");
        assertEquals(-1, t.chip.kvmSetIrq(0, 30, 1, false), "no route");
    }

    // ioapic_set_irq edge: IRR already set -> 0 (coalesced) until the line drops (KVM_IRQ_LINE)
    @Test
    void irqLine_edgePin_coalescesUntilLevelZero() {
        t.chip.ioapic().programEntry(4, edge(0x34, 0));
        assertEquals(IrqLineStatus.of(1), t.chip.irqLine(4, 1));
        assertEquals(IrqLineStatus.of(0), t.chip.irqLine(4, 1), "coalesced");
        assertEquals(IrqLineStatus.of(1), t.chip.irqLine(4, 0));
        assertEquals(IrqLineStatus.of(1), t.chip.irqLine(4, 1));
    }

    // kvm_vm_ioctl_irq_line: no in-kernel irqchip -> ENXIO
    @Test
    void irqLine_withoutIrqchip_isEnxio() {
        IrqTestSupport none = new IrqTestSupport();
        assertEquals(Errno.ENXIO, none.chip.irqLine(4, 1).error());
    }

    // __kvm_irq_line_state: one bit per source id; the effective level is their OR
    @Test
    void lineState_isOrOfSources() {
        Ioapic io = t.chip.ioapic();
        t.chip.kvmSetIrq(IrqSourceIds.KVM_USERSPACE_IRQ_SOURCE_ID, 20, 1, false);
        t.chip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, 20, 1, false);
        t.chip.kvmSetIrq(IrqSourceIds.KVM_USERSPACE_IRQ_SOURCE_ID, 20, 0, false);
        assertTrue(io.lineLevel(20));
        assertNotEquals(0, io.irr() & (1 << 20), "IRR stays: source 1 still asserts");
        t.chip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, 20, 0, false);
        assertFalse(io.lineLevel(20));
        assertEquals(0, io.irr() & (1 << 20));
    }

    // ioapic_service: masked -> -1, IRR still latched; unmasking a level pin then services it
    @Test
    void maskedPin_notDelivered_thenUnmaskServices() {
        t.chip.ioapic().programEntry(20, level(0x50, 0) | Ioapic.MASK);
        assertEquals(-1, t.chip.kvmSetIrq(0, 20, 1, false));
        assertFalse(t.apic(0).irrTest(0x50));
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        assertTrue(t.apic(0).irrTest(0x50), "ioapic_write_indirect: unmask with IRR set services the pin");
        assertTrue(t.chip.ioapic().remoteIrr(20));
    }

    // kvm_notify_irqfd_resampler: with a resampler the unmask clears IRR instead of injecting
    @Test
    void unmaskLevelPin_withResampler_notifiesInsteadOfInjecting() {
        int[] notified = {-1};
        t.chip.setResamplerNotifier(gsi -> {
            notified[0] = gsi;
            return true;
        });
        t.chip.ioapic().programEntry(20, level(0x50, 0) | Ioapic.MASK);
        t.chip.kvmSetIrq(0, 20, 1, false);
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        assertEquals(20, notified[0]);
        assertFalse(t.apic(0).irrTest(0x50));
        assertEquals(0, t.chip.ioapic().irr() & (1 << 20));
    }

    // ioapic_service: level pin -> remote IRR until EOI; a new assertion meanwhile -> -1
    @Test
    void levelPin_remoteIrrUntilEoi() {
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        assertEquals(1, t.chip.kvmSetIrq(0, 20, 1, false));
        assertTrue(t.chip.ioapic().remoteIrr(20));
        assertTrue(t.apic(0).tmrTest(0x50), "TMR set for a level interrupt");
        assertEquals(-1, t.chip.kvmSetIrq(0, 20, 1, false), "remote IRR set");
        t.apic(0).acknowledge(0x50);
        t.chip.kvmSetIrq(0, 20, 0, false);
        assertEquals(0x50, t.apic(0).eoi());
        assertFalse(t.chip.ioapic().remoteIrr(20));
        assertFalse(t.apic(0).irrTest(0x50), "line low: no re-service");
    }

    // kvm_ioapic_update_eoi_one: line still high at EOI -> immediate re-service
    @Test
    void eoi_withLineHigh_reservicesAtOnce() {
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        t.chip.kvmSetIrq(0, 20, 1, false);
        t.apic(0).acknowledge(0x50);
        assertFalse(t.apic(0).irrTest(0x50));
        t.apic(0).eoi();
        assertTrue(t.apic(0).irrTest(0x50));
        assertTrue(t.chip.ioapic().remoteIrr(20));
    }

    // kvm_ioapic_update_eoi_one: ack notifiers of the pin's GSI run on EOI (kvm_notify_acked_irq)
    @Test
    void eoi_runsAckNotifiersOfTheGsi() {
        int[] acked = {0, 0};
        t.chip.registerAckNotifier(notifier(20, () -> acked[0]++));
        t.chip.registerAckNotifier(notifier(21, () -> acked[1]++));
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        t.chip.kvmSetIrq(0, 20, 1, false);
        t.apic(0).acknowledge(0x50);
        t.apic(0).eoi();
        assertArrayEquals(new int[] {1, 0}, acked);
        assertTrue(t.trace().contains("kvm_ack_irq: irqchip IOAPIC pin 20"));
    }

    // IOAPIC_SUCCESSIVE_IRQ_MAX_COUNT: the 10,000th successive re-injection is delayed by HZ/100
    @Test
    void successiveReinjection_every10000thDelayed10ms() {
        t.chip.ioapic().programEntry(20, level(0x50, 0));
        t.sim.setTraceSink(null);
        t.chip.kvmSetIrq(0, 20, 1, false);
        for (int i = 1; i < Ioapic.IOAPIC_SUCCESSIVE_IRQ_MAX_COUNT; i++) {
            t.apic(0).acknowledge(0x50);
            t.apic(0).eoi();
            assertTrue(t.apic(0).irrTest(0x50), "re-injection " + i + " is immediate");
        }
        t.sim.setTraceSink(t.events::add);
        t.apic(0).acknowledge(0x50);
        t.apic(0).eoi();
        assertFalse(t.apic(0).irrTest(0x50), "the 10,000th waits");
        assertTrue(t.trace().contains("kvm_ioapic_delayed_eoi_inj: dst 0 vec 80 (Fixed|physical|level)"));
        long start = t.sim.now();
        t.sim.runUntil(start + Ioapic.EOI_INJECT_DELAY_NS - 1);
        assertFalse(t.apic(0).irrTest(0x50));
        t.sim.runUntil(start + Ioapic.EOI_INJECT_DELAY_NS);
        assertTrue(t.apic(0).irrTest(0x50), "kvm_ioapic_eoi_inject_work after 10 ms");
    }

    // Observed (6.18): an IOAPIC entry whose destination has no APIC reports 0 and gets no remote IRR
    @Test
    void ioapicEntryToMissingApic_reportsZero_noRemoteIrr() {
        t.chip.ioapic().programEntry(20, level(0x50, 7));
        assertEquals(IrqLineStatus.of(0), t.chip.irqLine(20, 1));
        assertFalse(t.chip.ioapic().remoteIrr(20));
    }

    // Observed (6.18) / rtc_irq_check_coalesced: on GSI 8 a new edge reports 0 until the guest's EOI
    @Test
    void rtcPin_coalescedUntilEoi() {
        t.chip.ioapic().programEntry(8, edge(0x38, 0));
        assertEquals(IrqLineStatus.of(1), t.chip.irqLine(8, 1));
        assertEquals(IrqLineStatus.of(1), t.chip.irqLine(8, 0));
        assertEquals(IrqLineStatus.of(0), t.chip.irqLine(8, 1), "pending RTC EOI");
        t.chip.irqLine(8, 0);
        t.apic(0).acknowledge(0x38);
        assertEquals(0x38, t.apic(0).eoi());
        assertEquals(0, t.chip.ioapic().rtcPendingEoi());
        assertEquals(IrqLineStatus.of(1), t.chip.irqLine(8, 1));
    }

    // ioapic_write_indirect: remote IRR / delivery status read-only; switching to edge clears remote IRR
    @Test
    void entryWrite_readOnlyBits_andEdgeClearsRemoteIrr() {
        Ioapic io = t.chip.ioapic();
        io.programEntry(20, level(0x50, 0));
        t.chip.kvmSetIrq(0, 20, 1, false);
        io.programEntry(20, level(0x50, 0) & ~Ioapic.REMOTE_IRR | Ioapic.DELIVERY_STATUS);
        assertTrue(io.remoteIrr(20), "guest cannot clear remote IRR");
        assertEquals(0, io.entry(20) & Ioapic.DELIVERY_STATUS, "guest cannot set delivery status");
        io.programEntry(20, edge(0x50, 0));
        assertFalse(io.remoteIrr(20));
    }

    // ioapic MMIO: IOREGSEL +0x00, IOWIN +0x10; version 0x00170011; redirection 0x10 + 2*pin
    @Test
    void mmioWindow_registers() {
        Ioapic io = t.chip.ioapic();
        long base = Ioapic.IOAPIC_DEFAULT_BASE_ADDRESS;
        long[] out = new long[1];
        assertEquals(0, io.write(0, base, 4, 1));
        assertEquals(0, io.read(0, base + 0x10, 4, out));
        assertEquals(0x00170011L, out[0]);
        io.write(0, base, 4, 0x10 + 2 * 3);
        io.write(0, base + 0x10, 4, 0x0000A041);
        io.write(0, base, 4, 0x10 + 2 * 3 + 1);
        io.write(0, base + 0x10, 4, 0x01000000);
        assertEquals(0x010000000000A041L, io.entry(3));
        io.write(0, base, 4, 0);
        io.write(0, base + 0x10, 4, 0x0A000000);
        io.read(0, base + 0x10, 4, out);
        assertEquals(0x0A000000L, out[0], "ID in bits 27:24");
        assertEquals(io.NOT_HANDLED, io.write(0, base + 0x100, 4, 0));
    }

    // IOAPIC reset state: every entry masked
    @Test
    void ioapicReset_allMasked() {
        for (int pin = 0; pin < 24; pin++) {
            assertNotEquals(0, t.chip.ioapic().entry(pin) & Ioapic.MASK);
        }
    }

    static IrqAckNotifier notifier(int gsi, Runnable r) {
        return new IrqAckNotifier() {
            @Override public int gsi() { return gsi; }
            @Override public void irqAcked() { r.run(); }
        };
    }

    // kvm_notify_acked_irq: chip[][] holds one GSI per pin; a notifier on another GSI routed to the same pin is not called
    @Test
    void ackNotifier_onlyForTheChipPinsGsi() {
        assertEquals(0, t.chip.setGsiRouting(List.of(new IrqchipRoute(30, KVM_IRQCHIP_IOAPIC, 20),
                new IrqchipRoute(31, KVM_IRQCHIP_IOAPIC, 20)), 0));
        int[] acked = {0, 0};
        t.chip.registerAckNotifier(notifier(30, () -> acked[0]++));
        t.chip.registerAckNotifier(notifier(31, () -> acked[1]++));
        t.chip.notifyAckedIrq(KVM_IRQCHIP_IOAPIC, 20);
        assertArrayEquals(new int[] {0, 1}, acked);
        assertTrue(t.chip.irqHasNotifier(KVM_IRQCHIP_IOAPIC, 20));
    }

    // kvm_unregister_irq_ack_notifier: an unregistered notifier is no longer called
    @Test
    void ackNotifier_unregistered_isNotCalled() {
        int[] acked = {0};
        IrqAckNotifier n = notifier(20, () -> acked[0]++);
        t.chip.registerAckNotifier(n);
        t.chip.notifyAckedIrq(KVM_IRQCHIP_IOAPIC, 20);
        t.chip.unregisterAckNotifier(n);
        t.chip.notifyAckedIrq(KVM_IRQCHIP_IOAPIC, 20);
        assertEquals(1, acked[0]);
        assertFalse(t.chip.irqHasNotifier(KVM_IRQCHIP_IOAPIC, 20));
    }

    // rtc_status.pending_eoi counts the CPUs reached; each EOI (rtc_irq_eoi) takes one off
    @Test
    void rtcPin_broadcastPendsOneEoiPerCpu() {
        IrqTestSupport two = IrqTestSupport.kernelIrqchip(2, GuestState.BOOTED);
        two.chip.ioapic().programEntry(8, edge(0x38, 0xff));
        assertEquals(IrqLineStatus.of(2), two.chip.irqLine(8, 1));
        two.chip.irqLine(8, 0);
        assertEquals(2, two.chip.ioapic().rtcPendingEoi());
        two.apic(0).acknowledge(0x38);
        two.apic(0).eoi();
        assertEquals(1, two.chip.ioapic().rtcPendingEoi());
        assertEquals(IrqLineStatus.of(0), two.chip.irqLine(8, 1), "still one EOI pending");
        two.chip.irqLine(8, 0);
        two.apic(1).acknowledge(0x38);
        two.apic(1).eoi();
        assertEquals(0, two.chip.ioapic().rtcPendingEoi());
    }

    // kvm_set_irq without line_status (irqfd): the RTC rule does not apply
    @Test
    void rtcPin_withoutLineStatus_notCoalescedByPendingEoi() {
        t.chip.ioapic().programEntry(8, edge(0x38, 0));
        t.chip.irqLine(8, 1);
        t.chip.irqLine(8, 0);
        assertEquals(1, t.chip.kvmSetIrq(0, 8, 1, false));
    }
}
