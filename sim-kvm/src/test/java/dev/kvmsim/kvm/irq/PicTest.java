package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irq.KvmSetIrqTest.notifier;
import static dev.kvmsim.kvm.irqchip.Apic.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.kvm.irqchip.Pic;
import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#pic: i8259.c pic_set_irq1, pic_update_irq, kvm_pic_read_irq, OCW2 EOI, ICW init, ExtINT via LINT0. */
class PicTest {
    private final IrqTestSupport t = IrqTestSupport.kernelIrqchip(2, GuestState.RESET);

    private Pic pic() { return t.chip.pic(); }

    private void out(int port, int value) {
        long p = port;
        var dev = p >= 0x4d0 ? pic().elcr() : p >= 0xa0 ? pic().slave() : pic().master();
        assertEquals(0, dev.write(0, p, 1, value));
    }

    // reset guest state: 8259s unmasked, vector base 0; ExtINT through LINT0 reaches vCPU 0 only
    @Test
    void resetState_picInterruptReachesVcpu0AsExtInt() {
        assertEquals(0, pic().imr(0));
        assertEquals(0, pic().irqBase(0));
        assertEquals(1, pic().setIrq(3, 0, 1));
        assertTrue(pic().output());
        assertEquals(1, t.kicks[0], "pic_unlock kicks the first vCPU accepting ExtINT");
        assertEquals(0, t.kicks[1]);
        assertEquals(3, t.apic(0).pendingVector(), "vector base 0 + irq 3");
        assertEquals(-1, t.apic(1).pendingVector(), "LINT0 masked on APs");
        t.apic(0).acknowledge(3);
        assertEquals(1 << 3, pic().isr(0));
        assertEquals(0, pic().irr(0) & (1 << 3), "edge IRR cleared at INTA");
        assertFalse(pic().output());
    }

    // ICW1-4 set the vector base; OCW1 sets IMR
    @Test
    void icwInit_setsVectorBaseAndMask() {
        pic().init(0, 0x20, 0xfb);
        pic().init(1, 0x28, 0xff);
        assertEquals(0x20, pic().irqBase(0));
        assertEquals(0xfb, pic().imr(0));
        pic().init(0, 0x20, 0x00);
        pic().setIrq(1, 0, 1);
        assertEquals(0x21, t.apic(0).pendingVector());
        pic().init(1, 0x28, 0x00);
        pic().setIrq(1, 0, 0);
        t.apic(0).acknowledge(0x21);
        pic().setIrq(10, 0, 1);
        assertEquals(-1, t.apic(0).pendingVector(), "master pin 2 ranks below in-service pin 1");
        out(0x20, 0x20);
        assertEquals(0x2a, t.apic(0).pendingVector(), "slave pin 2 through the cascade after the EOI");
    }

    // pic_set_irq1 edge: a level-1 without a rising edge leaves IRR alone and returns 1; IRR already set -> 0
    @Test
    void edgeInput_rules() {
        assertEquals(1, pic().setIrq(4, 0, 1));
        assertEquals(1, pic().setIrq(4, 0, 1), "no edge: ret stays 1");
        assertEquals(1, pic().setIrq(4, 0, 0));
        assertEquals(0, pic().setIrq(4, 0, 1), "rising edge while IRR still set: coalesced");
    }

    // pic_set_irq1 level (ELCR): level 1 -> ret = !IRR, set; level 0 clears
    @Test
    void levelInput_rules() {
        out(0x4d0, 0x20);
        assertEquals(0x20, pic().elcr(0));
        assertEquals(1, pic().setIrq(5, 0, 1));
        assertEquals(0, pic().setIrq(5, 0, 1), "IRR already set");
        pic().setIrq(5, 0, 0);
        assertEquals(0, pic().irr(0) & 0x20);
        out(0x4d0, 0x07);
        assertEquals(0, pic().elcr(0), "elcr_mask 0xf8 on the master");
    }

    // pic_set_irq1: masked (IMR) -> -1, IRR still latched; the trace says "|masked"
    @Test
    void maskedInput_isMinusOne() {
        out(0x21, 0x10);
        assertEquals(-1, pic().setIrq(4, 0, 1));
        assertNotEquals(0, pic().irr(0) & 0x10);
        assertTrue(t.trace().contains("kvm_pic_set_irq: chip 0 pin 4 (edge|masked)"));
    }

    // OCW2 non-specific EOI -> pic_clear_isr -> kvm_notify_acked_irq(SELECT_PIC(irq), irq)
    @Test
    void nonSpecificEoi_runsAckNotifier() {
        int[] acked = {0};
        t.chip.registerAckNotifier(notifier(3, () -> acked[0]++));
        pic().setIrq(3, 0, 1);
        t.apic(0).acknowledge(3);
        out(0x20, 0x20);
        assertEquals(0, pic().isr(0));
        assertEquals(1, acked[0]);
        assertTrue(t.trace().contains("kvm_ack_irq: irqchip PIC master pin 3"));
    }

    // specific EOI on the slave: SELECT_PIC(8 + irq) = slave, pin 8-15
    @Test
    void specificEoiOnSlave_acksSlavePin() {
        int[] acked = {0};
        t.chip.registerAckNotifier(notifier(11, () -> acked[0]++));
        pic().setIrq(11, 0, 1);
        t.apic(0).acknowledge(t.apic(0).pendingVector());
        assertEquals(1 << 3, pic().isr(1));
        out(0xa0, 0x60 | 3);
        out(0x20, 0x60 | 2);
        assertEquals(0, pic().isr(1));
        assertEquals(1, acked[0]);
        assertTrue(t.trace().contains("kvm_ack_irq: irqchip PIC slave pin 11"));
    }

    // booted guest state: both 8259s fully masked, so kvm_set_irq on GSI < 16 gets -1 from the PIC
    @Test
    void bootedState_picMasked() {
        IrqTestSupport b = IrqTestSupport.kernelIrqchip(1, GuestState.BOOTED);
        assertEquals(0xff, b.chip.pic().imr(0));
        assertEquals(0xff, b.chip.pic().imr(1));
        assertEquals(-1, b.chip.pic().setIrq(1, 0, 1));
        assertEquals(0x1ff, b.apic(0).spiv());
        assertEquals(APIC_DM_EXTINT, b.apic(0).lvt0(), "LINT0 ExtINT on vCPU 0 as KVM sets it at reset");
    }

    // OCW3 read register select: IRR or ISR on the even port; IMR on the odd port
    @Test
    void ocw3_readRegisterSelect() {
        pic().setIrq(6, 0, 1);
        long[] v = new long[1];
        pic().master().read(0, 0x20, 1, v);
        assertEquals(0x40, v[0]);
        out(0x20, 0x0b);
        pic().master().read(0, 0x20, 1, v);
        assertEquals(0, v[0], "ISR empty");
        out(0x21, 0x5a);
        pic().master().read(0, 0x21, 1, v);
        assertEquals(0x5a, v[0]);
    }
}
