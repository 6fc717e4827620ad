package dev.kvmsim.kvm.irqchip;

import static dev.kvmsim.kvm.irqchip.Apic.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.iobus.KvmIoDevice;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.trace.KvmPicSetIrq;

/**
 * Models arch/x86/kvm/i8259.c struct kvm_pic: the master/slave 8259 pair (IRR, IMR, ISR, ELCR,
 * edge/level inputs, priority rotation, ICW1-4 and OCW2/OCW3), cascaded on master pin 2, whose
 * INT output reaches the first vCPU whose LAPIC accepts ExtINT (LINT0 at reset on vCPU 0).
 *
 * <p>State after creation (kzalloc): IMR 0 (unmasked), vector base 0, ELCR 0 (edge). The
 * devices at PIO 0x20/2, 0xA0/2 and 0x4D0/2 are {@link #master()}, {@link #slave()}, {@link #elcr()}.
 *
 * <p>Caveats: single simulation thread; "dropping the lock" around ack notifiers is modelled by
 * running the pending wakeup first, as pic_unlock does.
 */
public final class Pic implements ExtIntSource {
    /** Models struct kvm_kpic_state: one 8259. */
    static final class State {
        int lastIrr;
        int irr;
        int imr;
        int isr;
        int priorityAdd;
        int irqBase;
        int readRegSelect;
        int poll;
        int specialMask;
        int initState;
        int autoEoi;
        int rotateOnAutoEoi;
        int specialFullyNestedMode;
        int init4;
        int elcr;
        final int elcrMask;

        State(int elcrMask) { this.elcrMask = elcrMask; }
    }

    private final Simulation sim;
    private final Kernel kernel;
    private final LapicDelivery delivery;
    private final IrqchipHost host;
    private final State[] pics = {new State(0xf8), new State(0xde)};
    private final long[] irqStates = new long[PIC_NUM_PINS];
    private final PicDevice master = new PicDevice(this, 0x20);
    private final PicDevice slave = new PicDevice(this, 0xa0);
    private final PicDevice elcrDev = new PicDevice(this, 0x4d0);
    private boolean output;
    private boolean wakeupNeeded;

    public Pic(Kernel kernel, LapicDelivery delivery, IrqchipHost host) {
        this.sim = kernel.sim();
        this.kernel = kernel;
        this.delivery = delivery;
        this.host = host;
    }

    /** The device at PIO 0x20 (2 bytes). */
    public PicDevice master() { return master; }

    /** The device at PIO 0xA0 (2 bytes). */
    public PicDevice slave() { return slave; }

    /** The device at PIO 0x4D0 (2 bytes, ELCR). */
    public PicDevice elcr() { return elcrDev; }

    // ---- state ----

    public int irr(int chip) { return pics[chip].irr; }

    public int imr(int chip) { return pics[chip].imr; }

    public int isr(int chip) { return pics[chip].isr; }

    public int elcr(int chip) { return pics[chip].elcr; }

    public int irqBase(int chip) { return pics[chip].irqBase; }

    @Override
    public boolean output() { return output; }

    // ---- pic_unlock: the wakeup of the vCPU that accepts ExtINT ----

    private void unlock() {
        boolean wakeup = wakeupNeeded;
        wakeupNeeded = false;
        if (wakeup) {
            for (LocalApic apic : delivery.apics()) {
                if (apic.acceptPicIntr()) {
                    apic.kickForExtInt();
                    return;
                }
            }
        }
    }

    /** Models pic_clear_isr: clear the bit, then (lock dropped) notify the ack notifiers. */
    private void clearIsr(int chip, int irq) {
        pics[chip].isr &= ~(1 << irq);
        int pin = chip == 0 ? irq : irq + 8;
        unlock();
        host.notifyAckedIrq(selectPic(pin), pin);
    }

    /** Models pic_set_irq1: edge/level input rules; -1 when masked in IMR. */
    private static int setIrq1(State s, int irq, int level) {
        int mask = 1 << irq;
        int ret = 1;
        if ((s.elcr & mask) != 0) {
            if (level != 0) {
                ret = (s.irr & mask) == 0 ? 1 : 0;
                s.irr |= mask;
                s.lastIrr |= mask;
            } else {
                s.irr &= ~mask;
                s.lastIrr &= ~mask;
            }
        } else if (level != 0) {
            if ((s.lastIrr & mask) == 0) {
                ret = (s.irr & mask) == 0 ? 1 : 0;
                s.irr |= mask;
            }
            s.lastIrr |= mask;
        } else {
            s.lastIrr &= ~mask;
        }
        return (s.imr & mask) != 0 ? -1 : ret;
    }

    /** Models get_priority: highest priority (smallest number) in mask after rotation, 8 if none. */
    private static int getPriority(State s, int mask) {
        if (mask == 0) {
            return 8;
        }
        int priority = 0;
        while ((mask & (1 << ((priority + s.priorityAdd) & 7))) == 0) {
            priority++;
        }
        return priority;
    }

    /** Models pic_get_irq: the requested irq if it beats the in-service priority, else -1. */
    private int getIrq(int chip) {
        State s = pics[chip];
        int priority = getPriority(s, s.irr & ~s.imr);
        if (priority == 8) {
            return -1;
        }
        int mask = s.isr;
        if (s.specialFullyNestedMode != 0 && chip == 0) {
            mask &= ~(1 << 2);
        }
        int curPriority = getPriority(s, mask);
        return priority < curPriority ? (priority + s.priorityAdd) & 7 : -1;
    }

    /** Models pic_update_irq: cascade the slave into master pin 2, then raise or lower INT. */
    private void updateIrq() {
        if (getIrq(1) >= 0) {
            setIrq1(pics[0], 2, 1);
            setIrq1(pics[0], 2, 0);
        }
        boolean level = getIrq(0) >= 0;
        // pic_irq_request
        if (!output && level) {
            wakeupNeeded = true;
        }
        output = level;
    }

    /**
     * Models kvm_pic_set_irq: line state per source, pic_set_irq1, pic_update_irq, trace
     * kvm_pic_set_irq. {@code irq} is 0-15 (slave pins 8-15).
     */
    public int setIrq(int irq, int irqSourceId, int level) {
        if (level != 0) {
            irqStates[irq] |= 1L << irqSourceId;
        } else {
            irqStates[irq] &= ~(1L << irqSourceId);
        }
        State s = pics[irq >> 3];
        int ret = setIrq1(s, irq & 7, irqStates[irq] != 0 ? 1 : 0);
        updateIrq();
        if (sim.tracing()) {
            sim.trace(new KvmPicSetIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(), irq >> 3, irq & 7, s.elcr, s.imr, ret == 0));
        }
        unlock();
        return ret;
    }

    /** Models pic_intack: ISR set, edge IRR cleared, auto-EOI. */
    private void intack(int chip, int irq) {
        State s = pics[chip];
        s.isr |= 1 << irq;
        if ((s.elcr & (1 << irq)) == 0) {
            s.irr &= ~(1 << irq);
        }
        if (s.autoEoi != 0) {
            if (s.rotateOnAutoEoi != 0) {
                s.priorityAdd = (irq + 1) & 7;
            }
            clearIsr(chip, irq);
        }
    }

    @Override
    public int peekVector() {
        int irq = getIrq(0);
        if (irq < 0) {
            return pics[0].irqBase + 7;
        }
        if (irq == 2) {
            int irq2 = getIrq(1);
            return pics[1].irqBase + (irq2 >= 0 ? irq2 : 7);
        }
        return pics[0].irqBase + irq;
    }

    @Override
    public int readIrq() {
        output = false;
        int intno;
        int irq = getIrq(0);
        if (irq >= 0) {
            intack(0, irq);
            if (irq == 2) {
                int irq2 = getIrq(1);
                if (irq2 >= 0) {
                    intack(1, irq2);
                } else {
                    irq2 = 7; // spurious IRQ on the slave
                }
                intno = pics[1].irqBase + irq2;
            } else {
                intno = pics[0].irqBase + irq;
            }
        } else {
            intno = pics[0].irqBase + 7; // spurious IRQ on the master
        }
        updateIrq();
        unlock();
        return intno;
    }

    /** Models kvm_pic_reset (ICW1): IMR 0, edge IRRs dropped (their ISR cleared if a LAPIC takes ExtINT). */
    private void reset(int chip) {
        State s = pics[chip];
        int edgeIrr = s.irr & ~s.elcr;
        s.lastIrr = 0;
        s.irr &= s.elcr;
        s.imr = 0;
        s.priorityAdd = 0;
        s.specialMask = 0;
        s.readRegSelect = 0;
        if (s.init4 == 0) {
            s.specialFullyNestedMode = 0;
            s.autoEoi = 0;
        }
        s.initState = 1;
        boolean found = false;
        for (LocalApic apic : delivery.apics()) {
            if (apic.acceptPicIntr()) {
                found = true;
                break;
            }
        }
        if (!found) {
            return;
        }
        for (int irq = 0; irq < 8; irq++) {
            if ((edgeIrr & (1 << irq)) != 0) {
                clearIsr(chip, irq);
            }
        }
    }

    /** Models pic_ioport_write: ICW1/OCW2/OCW3 on the even port, IMR or ICW2-4 on the odd port. */
    void ioportWrite(int chip, int addr, int val) {
        State s = pics[chip];
        if ((addr & 1) == 0) {
            if ((val & 0x10) != 0) {
                s.init4 = val & 1;
                reset(chip);
            } else if ((val & 0x08) != 0) {
                if ((val & 0x04) != 0) {
                    s.poll = 1;
                }
                if ((val & 0x02) != 0) {
                    s.readRegSelect = val & 1;
                }
                if ((val & 0x40) != 0) {
                    s.specialMask = (val >> 5) & 1;
                }
            } else {
                ocw2(chip, val);
            }
        } else {
            switch (s.initState) {
                case 0 -> {
                    s.imr = val;
                    updateIrq();
                }
                case 1 -> {
                    s.irqBase = val & 0xf8;
                    s.initState = 2;
                }
                case 2 -> s.initState = s.init4 != 0 ? 3 : 0;
                default -> {
                    s.specialFullyNestedMode = (val >> 4) & 1;
                    s.autoEoi = (val >> 1) & 1;
                    s.initState = 0;
                }
            }
        }
    }

    /** OCW2: rotate, non-specific EOI (1, 5), specific EOI (3, 7), set priority (6). */
    private void ocw2(int chip, int val) {
        State s = pics[chip];
        int cmd = val >> 5;
        switch (cmd) {
            case 0, 4 -> s.rotateOnAutoEoi = cmd >> 2;
            case 1, 5 -> {
                int priority = getPriority(s, s.isr);
                if (priority != 8) {
                    int irq = (priority + s.priorityAdd) & 7;
                    if (cmd == 5) {
                        s.priorityAdd = (irq + 1) & 7;
                    }
                    clearIsr(chip, irq);
                    updateIrq();
                }
            }
            case 3 -> {
                clearIsr(chip, val & 7);
                updateIrq();
            }
            case 6 -> {
                s.priorityAdd = (val + 1) & 7;
                updateIrq();
            }
            case 7 -> {
                int irq = val & 7;
                s.priorityAdd = (irq + 1) & 7;
                clearIsr(chip, irq);
                updateIrq();
            }
            default -> {
                // no operation
            }
        }
    }

    /** Models pic_poll_read. */
    private int pollRead(int chip, int addr) {
        State s = pics[chip];
        int ret = getIrq(chip);
        if (ret >= 0) {
            if ((addr >> 7) != 0) {
                pics[0].isr &= ~(1 << 2);
                pics[0].irr &= ~(1 << 2);
            }
            s.irr &= ~(1 << ret);
            clearIsr(chip, ret);
            if ((addr >> 7) != 0 || ret != 2) {
                updateIrq();
            }
            return ret | 0x80;
        }
        updateIrq();
        return 0x07;
    }

    /** Models pic_ioport_read: poll, IRR/ISR (OCW3 select) on the even port, IMR on the odd port. */
    int ioportRead(int chip, int addr) {
        State s = pics[chip];
        if (s.poll != 0) {
            int ret = pollRead(chip, addr);
            s.poll = 0;
            return ret;
        }
        if ((addr & 1) == 0) {
            return s.readRegSelect != 0 ? s.isr : s.irr;
        }
        return s.imr;
    }

    /** Models picdev_write: byte writes only (others ignored but claimed). */
    int picdevWrite(long addr, int len, long value) {
        int data = (int) (value & 0xff);
        if (len != 1) {
            return 0;
        }
        switch ((int) addr) {
            case 0x20, 0x21 -> ioportWrite(0, (int) addr, data);
            case 0xa0, 0xa1 -> ioportWrite(1, (int) addr, data);
            case 0x4d0, 0x4d1 -> pics[(int) addr & 1].elcr = data & pics[(int) addr & 1].elcrMask;
            default -> {
                return KvmIoDevice.NOT_HANDLED;
            }
        }
        unlock();
        return 0;
    }

    /** Models picdev_read. */
    int picdevRead(long addr, int len, long[] out) {
        if (len != 1) {
            out[0] = 0;
            return 0;
        }
        switch ((int) addr) {
            case 0x20, 0x21, 0xa0, 0xa1 -> out[0] = ioportRead((int) addr >> 7, (int) addr);
            case 0x4d0, 0x4d1 -> out[0] = pics[(int) addr & 1].elcr;
            default -> {
                return KvmIoDevice.NOT_HANDLED;
            }
        }
        unlock();
        return 0;
    }

    // ---- guest_state ----

    /** The "booted" guest state: both 8259s fully masked (OCW1 0xFF). */
    public void maskAll() {
        ioportWrite(0, 0x21, 0xff);
        ioportWrite(1, 0xa1, 0xff);
        unlock();
    }

    /** Programs one 8259 as a guest does: ICW1 (with ICW4), ICW2 vector base, ICW3, ICW4, then OCW1 mask. */
    public void init(int chip, int vectorBase, int imr) {
        int base = chip == 0 ? 0x20 : 0xa0;
        ioportWrite(chip, base, 0x11);
        ioportWrite(chip, base + 1, vectorBase);
        ioportWrite(chip, base + 1, chip == 0 ? 0x04 : 0x02);
        ioportWrite(chip, base + 1, 0x01);
        ioportWrite(chip, base + 1, imr);
        unlock();
    }
}
