package dev.kvmsim.kvm.irqchip;

import static dev.kvmsim.kvm.irqchip.Apic.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.iobus.KvmIoDevice;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.trace.KvmIoapicDelayedEoiInj;
import dev.kvmsim.kvm.trace.KvmIoapicSetIrq;

/**
 * Models arch/x86/kvm/ioapic.c struct kvm_ioapic: 24 redirection entries, the IRR, per-pin
 * line state per irq source id, remote IRR for level pins, EOI handling with ack notifiers and
 * the EOI-storm limit, RTC (pin 8) EOI tracking, and the MMIO window (IOREGSEL at +0x00,
 * IOWIN at +0x10) at 0xFEC00000.
 *
 * <p>Redirection entry bits: vector 7:0, delivery mode 10:8, dest mode 11, delivery status 12,
 * polarity 13, remote IRR 14, trigger 15 (1 = level), mask 16, destination 63:56. Reset state:
 * every entry masked.
 *
 * <p>Caveats: single simulation thread; the delayed EOI injection (HZ/100 = 10 ms at HZ=1000)
 * is an event on the simulation clock rather than a work item on the system workqueue.
 */
public final class Ioapic implements KvmIoDevice {
    public static final long IOAPIC_DEFAULT_BASE_ADDRESS = 0xFEC00000L;
    public static final int IOAPIC_MEM_LENGTH = 0x100;
    public static final int IOAPIC_REG_SELECT = 0x00;
    public static final int IOAPIC_REG_WINDOW = 0x10;
    public static final int IOAPIC_REG_APIC_ID = 0x00;
    public static final int IOAPIC_REG_VERSION = 0x01;
    public static final int IOAPIC_REG_ARB_ID = 0x02;
    public static final int IOAPIC_VERSION_ID = 0x11;
    public static final int RTC_GSI = 8;
    /** IOAPIC_SUCCESSIVE_IRQ_MAX_COUNT: every 10,000th successive re-injection is delayed. */
    public static final int IOAPIC_SUCCESSIVE_IRQ_MAX_COUNT = 10000;
    /** HZ / 100 at HZ=1000: 10 jiffies. */
    public static final long EOI_INJECT_DELAY_NS = 10_000_000L;

    public static final long MASK = 1L << 16;
    public static final long TRIG_LEVEL = 1L << 15;
    public static final long REMOTE_IRR = 1L << 14;
    public static final long DELIVERY_STATUS = 1L << 12;
    public static final long DEST_LOGICAL = 1L << 11;

    private final Simulation sim;
    private final Kernel kernel;
    private final LapicDelivery delivery;
    private final IrqchipHost host;
    private final long[] redirtbl = new long[KVM_IOAPIC_NUM_PINS];
    private final long[] irqStates = new long[KVM_IOAPIC_NUM_PINS];
    private final int[] irqEoi = new int[KVM_IOAPIC_NUM_PINS];
    private final DestMap rtcDestMap = new DestMap();
    private final Runnable eoiInjectWork = this::eoiInjectWork;
    private int irr;
    private int irrDelivered;
    private int ioregsel;
    private int id;
    private int rtcPendingEoi;
    private long eoiInjectHandle = -1;

    public Ioapic(Kernel kernel, LapicDelivery delivery, IrqchipHost host) {
        this.sim = kernel.sim();
        this.kernel = kernel;
        this.delivery = delivery;
        this.host = host;
        reset();
    }

    /** Models kvm_ioapic_reset: every entry masked, IRR, IOREGSEL, ID and EOI counters cleared. */
    public void reset() {
        if (eoiInjectHandle >= 0) {
            sim.cancel(eoiInjectHandle);
            eoiInjectHandle = -1;
        }
        for (int i = 0; i < redirtbl.length; i++) {
            redirtbl[i] |= MASK;
        }
        ioregsel = 0;
        irr = 0;
        irrDelivered = 0;
        id = 0;
        java.util.Arrays.fill(irqEoi, 0);
        rtcPendingEoi = 0;
        rtcDestMap.clear();
    }

    // ---- state ----

    public long entry(int pin) { return redirtbl[pin]; }

    public int irr() { return irr; }

    public boolean remoteIrr(int pin) { return (redirtbl[pin] & REMOTE_IRR) != 0; }

    public int rtcPendingEoi() { return rtcPendingEoi; }

    /** The effective line level of a pin: OR over the irq sources. */
    public boolean lineLevel(int pin) { return irqStates[pin] != 0; }

    // ---- kvm_ioapic_set_irq ----

    /**
     * Models kvm_ioapic_set_irq: update this source's bit of the pin's line state, then
     * ioapic_set_irq with the OR of all sources. Returns &lt;0 masked/not delivered, 0 coalesced,
     * &gt;0 the number of CPUs reached.
     */
    public int setIrq(int pin, int irqSourceId, int level, boolean lineStatus) {
        if (level != 0) {
            irqStates[pin] |= 1L << irqSourceId;
        } else {
            irqStates[pin] &= ~(1L << irqSourceId);
        }
        return ioapicSetIrq(pin, irqStates[pin] != 0, lineStatus);
    }

    /** Models ioapic_set_irq. */
    private int ioapicSetIrq(int pin, boolean level, boolean lineStatus) {
        long entry = redirtbl[pin];
        boolean edge = (entry & TRIG_LEVEL) == 0;
        int mask = 1 << pin;
        int ret;
        if (!level) {
            irr &= ~mask;
            ret = 1;
        } else if (pin == RTC_GSI && lineStatus && rtcPendingEoi > 0) {
            // RTC: userspace wants to know a new edge is coalesced until the guest's EOI.
            ret = 0;
        } else {
            int oldIrr = irr;
            irr |= mask;
            if (edge) {
                irrDelivered &= ~mask;
            }
            ret = edge && oldIrr == irr ? 0 : service(pin, lineStatus);
        }
        if (sim.tracing()) {
            sim.trace(new KvmIoapicSetIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(), entry, pin, ret == 0));
        }
        return ret;
    }

    /**
     * Models ioapic_service: masked, or level with remote IRR set → -1; else deliver through
     * kvm_irq_delivery_to_apic; a non-zero result (including -1) on a level pin sets remote IRR.
     */
    private int service(int pin, boolean lineStatus) {
        long e = redirtbl[pin];
        boolean levelTrig = (e & TRIG_LEVEL) != 0;
        if ((e & MASK) != 0 || (levelTrig && (e & REMOTE_IRR) != 0)) {
            return -1;
        }
        LapicIrq irq = new LapicIrq((int) (e & 0xff), (int) (e & 0x700),
                (e & DEST_LOGICAL) != 0 ? APIC_DEST_LOGICAL : APIC_DEST_PHYSICAL, true, levelTrig,
                APIC_DEST_NOSHORT, (int) (e >>> 56), false);
        if (!levelTrig) {
            irrDelivered |= 1 << pin;
        }
        int ret;
        if (pin == RTC_GSI && lineStatus) {
            ret = delivery.deliver(null, irq, rtcDestMap);
            rtcPendingEoi = Math.max(ret, 0);
        } else {
            ret = delivery.deliver(null, irq, null);
        }
        if (ret != 0 && levelTrig) {
            redirtbl[pin] |= REMOTE_IRR;
        }
        return ret;
    }

    // ---- EOI ----

    /** Models kvm_ioapic_update_eoi: RTC EOI tracking, then every pin with this vector. */
    public void updateEoi(LocalApic apic, int vector, boolean levelTrigger) {
        rtcIrqEoi(apic, vector);
        for (int pin = 0; pin < KVM_IOAPIC_NUM_PINS; pin++) {
            if ((redirtbl[pin] & 0xff) == vector) {
                updateEoiOne(apic, levelTrigger, pin);
            }
        }
    }

    /** Models rtc_irq_eoi. */
    private void rtcIrqEoi(LocalApic apic, int vector) {
        int v = apic.vcpuId();
        if (rtcDestMap.test(v) && rtcDestMap.vector(v) == vector && rtcDestMap.testAndClear(v)) {
            rtcPendingEoi--;
        }
    }

    /**
     * Models kvm_ioapic_update_eoi_one: ack notifiers first (lock dropped), then for a level EOI
     * without directed EOI: clear remote IRR and, if the pin is unmasked with IRR still set,
     * re-service it at once, except every 10,000th successive time (delayed by HZ/100).
     */
    private void updateEoiOne(LocalApic apic, boolean levelTrigger, int pin) {
        host.notifyAckedIrq(KVM_IRQCHIP_IOAPIC, pin);
        if (!levelTrigger || (apic.spiv() & APIC_SPIV_DIRECTED_EOI) != 0) {
            return;
        }
        redirtbl[pin] &= ~REMOTE_IRR;
        if ((redirtbl[pin] & MASK) == 0 && (irr & (1 << pin)) != 0) {
            if (++irqEoi[pin] == IOAPIC_SUCCESSIVE_IRQ_MAX_COUNT) {
                // Real hardware does not deliver at once during an EOI broadcast; this lets a
                // guest that mishandles a level interrupt make slow progress.
                scheduleEoiInject();
                irqEoi[pin] = 0;
                if (sim.tracing()) {
                    sim.trace(new KvmIoapicDelayedEoiInj(sim.now(), kernel.current().comm(), kernel.current().cpu(), redirtbl[pin]));
                }
            } else {
                service(pin, false);
            }
        } else {
            irqEoi[pin] = 0;
        }
    }

    /** schedule_delayed_work: a no-op while the work is already pending. */
    private void scheduleEoiInject() {
        if (eoiInjectHandle < 0) {
            eoiInjectHandle = sim.schedule(EOI_INJECT_DELAY_NS, eoiInjectWork);
        }
    }

    /** Models kvm_ioapic_eoi_inject_work: service every level pin with IRR set and remote IRR clear. */
    private void eoiInjectWork() {
        eoiInjectHandle = -1;
        for (int pin = 0; pin < KVM_IOAPIC_NUM_PINS; pin++) {
            long e = redirtbl[pin];
            if ((e & TRIG_LEVEL) != 0 && (irr & (1 << pin)) != 0 && (e & REMOTE_IRR) == 0) {
                service(pin, false);
            }
        }
    }

    /**
     * Models kvm_ioapic_scan_entry for one vector: the RTC's pending EOI, or a pin with this
     * vector that is level-triggered, has an ack notifier or is the RTC pin, and whose
     * destination matches the APIC (or the APIC still has the vector pending).
     */
    public boolean handlesVector(LocalApic apic, int vector) {
        if (rtcDestMap.test(apic.vcpuId()) && rtcDestMap.vector(apic.vcpuId()) == vector) {
            return true;
        }
        for (int pin = 0; pin < KVM_IOAPIC_NUM_PINS; pin++) {
            long e = redirtbl[pin];
            if ((e & 0xff) != vector) {
                continue;
            }
            if ((e & TRIG_LEVEL) != 0 || host.irqHasNotifier(KVM_IRQCHIP_IOAPIC, pin) || pin == RTC_GSI) {
                int dm = (e & DEST_LOGICAL) != 0 ? APIC_DEST_LOGICAL : APIC_DEST_PHYSICAL;
                if (delivery.matchDest(apic, null, APIC_DEST_NOSHORT, (int) (e >>> 56), dm) || apic.pendingEoi(vector)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- MMIO window ----

    /** True when {@code addr} is inside the 0x100-byte window. */
    public boolean inRange(long addr) {
        return addr >= IOAPIC_DEFAULT_BASE_ADDRESS && addr < IOAPIC_DEFAULT_BASE_ADDRESS + IOAPIC_MEM_LENGTH;
    }

    @Override
    public int write(int vcpu, long addr, int len, long value) {
        return mmioWrite(addr, len, value);
    }

    @Override
    public int read(int vcpu, long addr, int len, long[] out) {
        return mmioRead(addr, len, out);
    }

    @Override
    public String describe() {
        return "ioapic mmio 0xfec00000/0x100";
    }

    /** Models ioapic_mmio_write: 0 when handled (any length), -EOPNOTSUPP outside the window. */
    public int mmioWrite(long addr, int len, long value) {
        if (!inRange(addr)) {
            return NOT_HANDLED;
        }
        int data;
        switch (len) {
            case 8, 4 -> data = (int) value;
            case 2 -> data = (int) (value & 0xffff);
            case 1 -> data = (int) (value & 0xff);
            default -> {
                return 0;
            }
        }
        switch ((int) (addr & 0xff)) {
            case IOAPIC_REG_SELECT -> ioregsel = data & 0xff;
            case IOAPIC_REG_WINDOW -> writeIndirect(data);
            default -> {
                // other offsets are ignored
            }
        }
        return 0;
    }

    /** Models ioapic_mmio_read: 0 with the (zero-extended) register in {@code out[0]}, -EOPNOTSUPP outside. */
    public int mmioRead(long addr, int len, long[] out) {
        if (!inRange(addr)) {
            return NOT_HANDLED;
        }
        long result = switch ((int) (addr & 0xff)) {
            case IOAPIC_REG_SELECT -> ioregsel;
            case IOAPIC_REG_WINDOW -> Integer.toUnsignedLong(readIndirect());
            default -> 0;
        };
        out[0] = len >= 4 ? result : result & ((1L << (8 * len)) - 1);
        return 0;
    }

    /** Models ioapic_read_indirect: version 0x00170011, ID and arbitration ID in bits 27:24, entries by halves. */
    private int readIndirect() {
        switch (ioregsel) {
            case IOAPIC_REG_VERSION:
                return ((KVM_IOAPIC_NUM_PINS - 1) & 0xff) << 16 | (IOAPIC_VERSION_ID & 0xff);
            case IOAPIC_REG_APIC_ID:
            case IOAPIC_REG_ARB_ID:
                return (id & 0xf) << 24;
            default:
                int index = (ioregsel - 0x10) >> 1;
                long content = index >= 0 && index < KVM_IOAPIC_NUM_PINS ? redirtbl[index] : ~0L;
                return (ioregsel & 1) != 0 ? (int) (content >>> 32) : (int) content;
        }
    }

    /**
     * Models ioapic_write_indirect: remote IRR and delivery status are read-only; an edge entry
     * gets remote IRR cleared; a level pin that is unmasked with IRR set and remote IRR clear
     * is resampled through the irqfd resampler (IRR cleared) if one exists, else serviced.
     */
    private void writeIndirect(int val) {
        switch (ioregsel) {
            case IOAPIC_REG_VERSION, IOAPIC_REG_ARB_ID -> {
                // writes ignored
            }
            case IOAPIC_REG_APIC_ID -> id = (val >>> 24) & 0xf;
            default -> {
                int index = (ioregsel - 0x10) >> 1;
                if (index < 0 || index >= KVM_IOAPIC_NUM_PINS) {
                    return;
                }
                long e = redirtbl[index];
                long readOnly = e & (REMOTE_IRR | DELIVERY_STATUS);
                if ((ioregsel & 1) != 0) {
                    e = (e & 0xffffffffL) | ((long) val << 32);
                } else {
                    e = (e & ~0xffffffffL) | Integer.toUnsignedLong(val);
                }
                e = (e & ~(REMOTE_IRR | DELIVERY_STATUS)) | readOnly;
                if ((e & TRIG_LEVEL) == 0) {
                    e &= ~REMOTE_IRR;
                }
                redirtbl[index] = e;
                if ((e & TRIG_LEVEL) != 0 && (irr & (1 << index)) != 0 && (e & MASK) == 0 && (e & REMOTE_IRR) == 0) {
                    if (host.notifyIrqfdResampler(KVM_IRQCHIP_IOAPIC, index)) {
                        irr &= ~(1 << index);
                    } else {
                        service(index, false);
                    }
                }
            }
        }
    }

    /** Programs a whole redirection entry as a guest would: high half, then low half, through IOWIN. */
    public void programEntry(int pin, long bits) {
        int sel = 0x10 + 2 * pin;
        ioregsel = sel + 1;
        writeIndirect((int) (bits >>> 32));
        ioregsel = sel;
        writeIndirect((int) bits);
    }
}
