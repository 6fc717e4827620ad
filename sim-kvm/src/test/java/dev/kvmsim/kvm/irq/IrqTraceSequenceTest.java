package dev.kvmsim.kvm.irq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#tracepoints typical sequences: irqfd via the workqueue on a default GSI &lt; 16 (kvm_set_irq level 1, level 0). */
class IrqTraceSequenceTest {
    @Test
    void defaultGsiPulse_traceSequence() {
        IrqTestSupport t = IrqTestSupport.kernelIrqchip(1, GuestState.BOOTED);
        t.chip.ioapic().programEntry(4, KvmSetIrqTest.edge(0x34, 0));
        t.events.clear();
        t.chip.kvmSetIrq(0, 4, 1, false);
        t.chip.kvmSetIrq(0, 4, 0, false);
        assertEquals(List.of(
                "kvm_set_irq: gsi 4 level 1 source 0",
                "kvm_apic_accept_irq: apicid 0 vec 52 (Fixed|edge)",
                "kvm_ioapic_set_irq: pin 4 dst 0 vec 52 (Fixed|physical|edge)",
                "kvm_pic_set_irq: chip 0 pin 4 (edge|masked)",
                "kvm_set_irq: gsi 4 level 0 source 0",
                "kvm_ioapic_set_irq: pin 4 dst 0 vec 52 (Fixed|physical|edge)",
                "kvm_pic_set_irq: chip 0 pin 4 (edge|masked)"), t.trace());
    }

    // resample EOI: kvm_eoi -> kvm_ack_irq -> (notifier) kvm_set_irq gsi N level 0 source 1 -> kvm_ioapic_set_irq
    @Test
    void resampleEoi_traceSequence() {
        IrqTestSupport t = IrqTestSupport.kernelIrqchip(1, GuestState.BOOTED);
        t.chip.ioapic().programEntry(20, KvmSetIrqTest.level(0x50, 0));
        t.chip.registerAckNotifier(KvmSetIrqTest.notifier(20,
                () -> t.chip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, 20, 0, false)));
        t.chip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, 20, 1, false);
        t.apic(0).acknowledge(0x50);
        t.events.clear();
        t.apic(0).eoi();
        assertEquals(List.of(
                "kvm_eoi: apicid 0 vector 80",
                "kvm_ack_irq: irqchip IOAPIC pin 20",
                "kvm_set_irq: gsi 20 level 0 source 1",
                "kvm_ioapic_set_irq: pin 20 dst 0 vec 80 (Fixed|physical|level)"), t.trace());
    }
}
