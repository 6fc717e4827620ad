package dev.kvmsim.kvm.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#tracepoints: the TP_printk formats of the interrupt tracepoints, verbatim. */
class IrqTraceFormatTest {
    // include/trace/events/kvm.h kvm_set_irq: "gsi %u level %d source %d"
    @Test
    void kvmSetIrq() {
        assertEquals("gsi 24 level 1 source 0", new KvmSetIrq(0, "t", 0, 24, 1, 0).fields());
        assertEquals("gsi 4294967295 level 0 source 1", new KvmSetIrq(0, "t", 0, -1, 0, 1).fields());
    }

    // arch/x86/kvm/trace.h kvm_msi_set_irq: "dst %llx vec %u (%s|%s|%s%s)"
    @Test
    void kvmMsiSetIrq() {
        assertEquals("dst 3 vec 65 (Fixed|physical|edge)", new KvmMsiSetIrq(0, "t", 0, 0xFEE03000L, 0x41).fields());
        assertEquals("dst ff vec 49 (LowPrio|logical|level|rh)",
                new KvmMsiSetIrq(0, "t", 0, 0xFEEFF00CL, 0x8131).fields());
        assertEquals("dst 3412 vec 0 (ExtINT|physical|edge)",
                new KvmMsiSetIrq(0, "t", 0, 0x00003400_FEE12000L, 0x700).fields());
    }

    // kvm_ioapic_set_irq: "pin %u dst %x vec %u (%s|%s|%s%s)%s"
    @Test
    void kvmIoapicSetIrq() {
        long e = 0x0100_0000_0001_8850L | (1L << 11);
        assertEquals("pin 5 dst 1 vec 80 (Fixed|logical|level|masked) (coalesced)",
                new KvmIoapicSetIrq(0, "t", 0, e, 5, true).fields());
        assertEquals("pin 0 dst 0 vec 48 (NMI|physical|edge)", new KvmIoapicSetIrq(0, "t", 0, 0x430, 0, false).fields());
    }

    // kvm_ioapic_delayed_eoi_inj: "dst %x vec %u (%s|%s|%s%s)"
    @Test
    void kvmIoapicDelayedEoiInj() {
        assertEquals("dst 2 vec 80 (LowPrio|physical|level)",
                new KvmIoapicDelayedEoiInj(0, "t", 0, 0x0200_0000_0000_8150L).fields());
    }

    // kvm_pic_set_irq: "chip %u pin %u (%s%s)%s"
    @Test
    void kvmPicSetIrq() {
        assertEquals("chip 1 pin 3 (level|masked) (coalesced)", new KvmPicSetIrq(0, "t", 0, 1, 3, 0x08, 0x08, true).fields());
        assertEquals("chip 0 pin 0 (edge)", new KvmPicSetIrq(0, "t", 0, 0, 0, 0, 0, false).fields());
    }

    // kvm_apic_accept_irq / kvm_apicv_accept_irq: "apicid %x vec %u (%s|%s)"
    @Test
    void kvmApicAcceptIrq() {
        assertEquals("apicid a vec 65 (SIPI|level)", new KvmApicAcceptIrq(0, "t", 0, 10, 0x600, true, 65).fields());
        assertEquals("apicid 0 vec 32 (Res3|edge)", new KvmApicvAcceptIrq(0, "t", 0, 0, 0x300, false, 32).fields());
    }

    // kvm_eoi: "apicid %x vector %d"; kvm_ack_irq: "irqchip %s pin %u"
    @Test
    void kvmEoiAndAck() {
        assertEquals("apicid 1f vector -1", new KvmEoi(0, "t", 0, 31, -1).fields());
        assertEquals("irqchip PIC master pin 3", new KvmAckIrq(0, "t", 0, 0, 3).fields());
        assertEquals("irqchip PIC slave pin 11", new KvmAckIrq(0, "t", 0, 1, 11).fields());
        assertEquals("irqchip IOAPIC pin 23", new KvmAckIrq(0, "t", 0, 2, 23).fields());
    }

    // delivery-mode names
    @Test
    void deliverModeNames() {
        String[] want = {"Fixed", "LowPrio", "SMI", "Res3", "NMI", "INIT", "SIPI", "ExtINT"};
        for (int i = 0; i < 8; i++) {
            assertEquals(want[i], KvmDeliverMode.name(i));
        }
    }
}
