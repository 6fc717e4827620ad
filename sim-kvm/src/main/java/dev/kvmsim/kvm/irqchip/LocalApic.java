package dev.kvmsim.kvm.irqchip;

import static dev.kvmsim.kvm.irqchip.Apic.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.trace.KvmApicAcceptIrq;
import dev.kvmsim.kvm.trace.KvmApicvAcceptIrq;
import dev.kvmsim.kvm.trace.KvmEoi;
import dev.kvmsim.kvm.vcpu.LocalApicPort;

/**
 * Models arch/x86/kvm/lapic.c struct kvm_lapic: one vCPU's in-kernel local APIC in xAPIC mode.
 *
 * <p>State: IRR/ISR/TMR (256 bits each), TPR and the derived PPR, SVR (software enable, bit 8),
 * the xAPIC ID (= vCPU id at reset), LDR/DFR for logical destinations and LVT LINT0 (ExtINT on
 * the BSP at reset, so the 8259 reaches vCPU 0). Interrupts arrive through {@link #acceptIrq}
 * (__apic_accept_irq); the vCPU takes them through {@link LocalApicPort}.
 *
 * <p>Caveats: single simulation thread; no x2APIC mode, no timer, no NMI/INIT/SIPI side effects
 * beyond the kick (they are counted only). With APICv the posted-interrupt descriptor is folded
 * into the IRR at once (the PIR-to-IRR sync is not delayed).
 */
public final class LocalApic implements LocalApicPort {
    private static final Runnable NOOP = () -> { };

    private final Simulation sim;
    private final Kernel kernel;
    private final LapicDelivery delivery;
    private final int vcpuId;
    private final long[] irr = new long[4];
    private final long[] isr = new long[4];
    private final long[] tmr = new long[4];
    private int id;
    private int ldr;
    private int dfr;
    private int spiv;
    private int tpr;
    private int ppr;
    private int lvt0;
    private int lvt1;
    private int icrLo;
    private int icrHi;
    private boolean hwEnabled = true;
    private boolean apicvActive;
    private int apicArbPrio;
    private int pendingIoapicEoi = -1;
    private int nmiPending;
    private int initSipiEvents;
    private Runnable kick = NOOP;
    private Runnable postedInterrupt = NOOP;
    private ExtIntSource extInt;
    private IoapicEoiHandler eoiHandler = IoapicEoiHandler.NONE;

    LocalApic(Kernel kernel, LapicDelivery delivery, int vcpuId) {
        this.sim = kernel.sim();
        this.kernel = kernel;
        this.delivery = delivery;
        this.vcpuId = vcpuId;
        reset();
    }

    /** Models kvm_lapic_reset: masked LVTs (LINT0 ExtINT on the BSP), flat DFR, SVR 0xFF (software-disabled). */
    public void reset() {
        java.util.Arrays.fill(irr, 0);
        java.util.Arrays.fill(isr, 0);
        java.util.Arrays.fill(tmr, 0);
        id = vcpuId << 24;
        ldr = 0;
        dfr = APIC_DFR_FLAT;
        spiv = 0xFF;
        tpr = 0;
        ppr = 0;
        lvt1 = APIC_LVT_MASKED;
        // KVM_X86_QUIRK_LINT0_REENABLED: the reset BSP accepts ExtINT through LINT0.
        lvt0 = vcpuId == 0 ? APIC_DM_EXTINT : APIC_LVT_MASKED;
        icrLo = 0;
        icrHi = 0;
        apicArbPrio = 0;
        pendingIoapicEoi = -1;
        delivery.invalidateMap();
    }

    // ---- wiring ----

    /** Connects the vCPU: {@code kick} is kvm_make_request(KVM_REQ_EVENT) + kvm_vcpu_kick, {@code posted} the APICv posted-interrupt notification. */
    public void attachVcpu(Runnable kick, Runnable posted) {
        this.kick = kick;
        this.postedInterrupt = posted;
    }

    /** Connects the PIC behind LINT0 (null: none) and where intercepted EOIs go. */
    public void connect(ExtIntSource source, IoapicEoiHandler handler) {
        this.extInt = source;
        this.eoiHandler = handler;
    }

    /** APICv (virtual interrupt delivery + posted interrupts) on or off for this vCPU. */
    public void setApicvActive(boolean active) { this.apicvActive = active; }

    public boolean apicvActive() { return apicvActive; }

    // ---- state queries ----

    public int vcpuId() { return vcpuId; }

    /** The xAPIC ID (bits 31:24 of the ID register). */
    public int xapicId() { return id >>> 24; }

    public int ldr() { return ldr; }

    public int dfr() { return dfr; }

    public int spiv() { return spiv; }

    public int tpr() { return tpr; }

    public int ppr() { return ppr; }

    public int lvt0() { return lvt0; }

    public boolean hwEnabled() { return hwEnabled; }

    /** kvm_apic_sw_enabled: SVR bit 8. */
    public boolean swEnabled() { return (spiv & APIC_SPIV_APIC_ENABLED) != 0; }

    /** apic_enabled: hardware- and software-enabled. */
    public boolean enabled() { return hwEnabled && swEnabled(); }

    public int arbPrio() { return apicArbPrio; }

    public boolean irrTest(int vector) { return test(irr, vector); }

    public boolean isrTest(int vector) { return test(isr, vector); }

    public boolean tmrTest(int vector) { return test(tmr, vector); }

    /** Highest vector in the IRR or -1. */
    public int highestIrr() { return highest(irr); }

    /** Highest vector in the ISR or -1. */
    public int highestIsr() { return highest(isr); }

    /** kvm_apic_pending_eoi: the vector is in the ISR or the IRR. */
    public boolean pendingEoi(int vector) { return test(isr, vector) || test(irr, vector); }

    /** NMIs accepted and not yet consumed. */
    public int nmiPending() { return nmiPending; }

    /** INIT/SIPI events accepted. */
    public int initSipiEvents() { return initSipiEvents; }

    /** The vector of a pending KVM_EXIT_IOAPIC_EOI (split irqchip) and clears it; -1 if none. */
    @Override
    public int takePendingIoapicEoi() {
        int v = pendingIoapicEoi;
        pendingIoapicEoi = -1;
        return v;
    }

    /** Split irqchip: kvm_ioapic_send_eoi's KVM_REQ_IOAPIC_EOI_EXIT (pending_ioapic_eoi = vector). */
    public void requestIoapicEoiExit(int vector) { pendingIoapicEoi = vector; }

    /** The PIC raised INT towards this vCPU (pic_unlock): KVM_REQ_EVENT + kick. */
    void kickForExtInt() { kick.run(); }

    /** kvm_apic_accept_pic_intr: hardware-disabled APIC, or LINT0 unmasked in ExtINT mode. */
    public boolean acceptPicIntr() {
        if (!hwEnabled) {
            return true;
        }
        return (lvt0 & APIC_LVT_MASKED) == 0 && ((lvt0 >> 8) & 7) == 7;
    }

    // ---- __apic_accept_irq ----

    /**
     * Models lapic.c __apic_accept_irq: always traces kvm_apic_accept_irq; Fixed/LowPrio are
     * dropped (0) when level-triggered with level 0 or the APIC is disabled, else accepted (1,
     * even when the vector is already pending: no coalescing at the LAPIC), TMR updated, and
     * delivered (vmx_deliver_interrupt): posted with APICv, else IRR + KVM_REQ_EVENT + kick.
     */
    public int acceptIrq(int deliveryMode, int vector, boolean level, boolean trigMode, DestMap destMap) {
        if (sim.tracing()) {
            sim.trace(new KvmApicAcceptIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(), vcpuId, deliveryMode, trigMode, vector));
        }
        switch (deliveryMode) {
            case APIC_DM_LOWEST:
                apicArbPrio++;
                return acceptFixed(deliveryMode, vector, level, trigMode, destMap);
            case APIC_DM_FIXED:
                return acceptFixed(deliveryMode, vector, level, trigMode, destMap);
            case APIC_DM_REMRD:
            case APIC_DM_SMI:
                kick.run();
                return 1;
            case APIC_DM_NMI:
                nmiPending++;
                kick.run();
                return 1;
            case APIC_DM_INIT:
                if (!trigMode || level) {
                    initSipiEvents++;
                    kick.run();
                    return 1;
                }
                return 0;
            case APIC_DM_STARTUP:
                initSipiEvents++;
                kick.run();
                return 1;
            default:
                // APIC_DM_EXTINT arrives only through LINT0 (kvm_apic_accept_pic_intr).
                return 0;
        }
    }

    private int acceptFixed(int deliveryMode, int vector, boolean level, boolean trigMode, DestMap destMap) {
        if (trigMode && !level) {
            return 0;
        }
        if (!enabled()) {
            return 0;
        }
        if (destMap != null) {
            destMap.set(vcpuId, vector);
        }
        if (trigMode) {
            set(tmr, vector);
        } else {
            clear(tmr, vector);
        }
        set(irr, vector);
        if (apicvActive) {
            if (sim.tracing()) {
                sim.trace(new KvmApicvAcceptIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(), vcpuId, deliveryMode, trigMode, vector));
            }
            postedInterrupt.run();
        } else {
            kick.run();
        }
        return 1;
    }

    // ---- LocalApicPort: the vCPU side ----

    @Override
    public int pendingVector() {
        if (extIntPending()) {
            return extInt.peekVector();
        }
        if (!hwEnabled) {
            return -1;
        }
        updatePpr();
        int highest = highest(irr);
        if (highest == -1 || (highest & 0xF0) <= ppr) {
            return -1;
        }
        return highest;
    }

    @Override
    public void acknowledge(int vector) {
        if (extIntPending()) {
            extInt.readIrq();
            return;
        }
        clear(irr, vector);
        set(isr, vector);
        updatePpr();
    }

    @Override
    public int eoi() {
        int vector = highest(isr);
        boolean handled = vector >= 0 && eoiHandler.handlesVector(this, vector);
        if (apicvActive && !handled) {
            // Virtualized EOI: the CPU clears the ISR bit, KVM never sees it (no trace).
            if (vector >= 0) {
                clear(isr, vector);
                updatePpr();
            }
            return vector;
        }
        if (sim.tracing()) {
            sim.trace(new KvmEoi(sim.now(), kernel.current().comm(), kernel.current().cpu(), vcpuId, vector));
        }
        if (vector == -1) {
            return -1;
        }
        clear(isr, vector);
        updatePpr();
        if (handled) {
            eoiHandler.sendEoi(this, vector, test(tmr, vector));
        }
        return vector;
    }

    @Override
    public boolean eoiExits(int vector) {
        return !apicvActive || eoiHandler.handlesVector(this, vector);
    }

    /** True when {@code addr} lies in this APIC's page. */
    public boolean inRange(long addr) {
        return addr >= APIC_DEFAULT_BASE && addr < APIC_DEFAULT_BASE + LAPIC_MMIO_LENGTH;
    }

    /** Models apic_mmio_write: claims the page; only aligned 4-byte writes reach the registers. */
    @Override
    public boolean mmioWrite(long addr, int len, long value) {
        if (!inRange(addr)) {
            return false;
        }
        if (!hwEnabled) {
            // KVM_X86_QUIRK_LAPIC_MMIO_HOLE (default on): claimed and dropped.
            return true;
        }
        int offset = (int) (addr - APIC_DEFAULT_BASE);
        if (len != 4 || (offset & 0xf) != 0) {
            return true;
        }
        regWrite(offset, (int) value);
        return true;
    }

    /** Models apic_mmio_read / kvm_lapic_reg_read for the registers modelled; false when not claimed. */
    public boolean mmioRead(long addr, int len, long[] out) {
        if (!inRange(addr)) {
            return false;
        }
        int offset = (int) (addr - APIC_DEFAULT_BASE);
        out[0] = hwEnabled ? Integer.toUnsignedLong(regRead(offset & ~0xf)) : (1L << (8 * Math.min(len, 8))) - 1;
        return true;
    }

    /** Models kvm_lapic_reg_write for ID, TPR, EOI, LDR, DFR, SVR, ICR/ICR2 and LINT0/LINT1. */
    public void regWrite(int reg, int val) {
        switch (reg) {
            case APIC_ID -> {
                id = val & 0xFF000000;
                delivery.invalidateMap();
            }
            case APIC_TASKPRI -> {
                tpr = val & 0xff;
                updatePpr();
            }
            case APIC_EOI -> eoi();
            case APIC_LDR -> {
                ldr = val & 0xFF000000;
                delivery.invalidateMap();
            }
            case APIC_DFR -> {
                dfr = val | 0x0FFFFFFF;
                delivery.invalidateMap();
            }
            case APIC_SPIV -> setSpiv(val);
            case APIC_ICR -> {
                icrLo = val & ~(1 << 12);
                sendIpi(icrLo, icrHi);
            }
            case APIC_ICR2 -> icrHi = val & 0xFF000000;
            case APIC_LVT0 -> lvt0 = lvtValue(val);
            case APIC_LVT1 -> lvt1 = lvtValue(val);
            default -> {
                // other registers are not modelled; the write is dropped
            }
        }
    }

    private int lvtValue(int val) {
        int v = swEnabled() ? val : val | APIC_LVT_MASKED;
        return v & LINT_MASK;
    }

    /** Models apic_set_spiv: software disable masks every LVT entry. */
    private void setSpiv(int val) {
        boolean wasEnabled = swEnabled();
        spiv = val & 0x3ff;
        if (wasEnabled != swEnabled()) {
            delivery.invalidateMap();
        }
        if (!swEnabled()) {
            lvt0 |= APIC_LVT_MASKED;
            lvt1 |= APIC_LVT_MASKED;
        }
    }

    private int regRead(int reg) {
        if (reg >= APIC_ISR && reg < APIC_ISR + 0x80) {
            return word(isr, (reg - APIC_ISR) >> 4);
        }
        if (reg >= APIC_TMR && reg < APIC_TMR + 0x80) {
            return word(tmr, (reg - APIC_TMR) >> 4);
        }
        if (reg >= APIC_IRR && reg < APIC_IRR + 0x80) {
            return word(irr, (reg - APIC_IRR) >> 4);
        }
        return switch (reg) {
            case APIC_ID -> id;
            case APIC_LVR -> APIC_VERSION;
            case APIC_TASKPRI -> tpr;
            case APIC_PROCPRI -> {
                updatePpr();
                yield ppr;
            }
            case APIC_LDR -> ldr;
            case APIC_DFR -> dfr;
            case APIC_SPIV -> spiv;
            case APIC_ICR -> icrLo;
            case APIC_ICR2 -> icrHi;
            case APIC_LVT0 -> lvt0;
            case APIC_LVT1 -> lvt1;
            default -> 0;
        };
    }

    /** Models kvm_apic_send_ipi (xAPIC): the ICR's message goes through kvm_irq_delivery_to_apic. */
    private void sendIpi(int lo, int hi) {
        LapicIrq irq = new LapicIrq(lo & 0xff, lo & 0x700, lo & APIC_DEST_LOGICAL, (lo & (1 << 14)) != 0,
                (lo & (1 << 15)) != 0, lo & 0xC0000, hi >>> 24, false);
        delivery.deliver(this, irq, null);
    }

    /** Models __apic_update_ppr: PPR = TPR if its class is at least the highest ISR class, else that class. */
    private void updatePpr() {
        int isrv = highest(isr);
        if (isrv < 0) {
            isrv = 0;
        }
        ppr = (tpr & 0xf0) >= (isrv & 0xf0) ? tpr & 0xff : isrv & 0xf0;
    }

    private boolean extIntPending() {
        return extInt != null && acceptPicIntr() && extInt.output();
    }

    // ---- guest_state ----

    /** The "booted" guest state: software-enabled (SVR 0x1FF), TPR 0. */
    public void setBooted() {
        setSpiv(0x1FF);
        tpr = 0;
        updatePpr();
    }

    // ---- 256-bit vector registers ----

    private static boolean test(long[] bits, int v) { return (bits[v >>> 6] & (1L << v)) != 0; }

    private static void set(long[] bits, int v) { bits[v >>> 6] |= 1L << v; }

    private static void clear(long[] bits, int v) { bits[v >>> 6] &= ~(1L << v); }

    private static int word(long[] bits, int i) { return (int) (bits[i >> 1] >>> ((i & 1) * 32)); }

    private static int highest(long[] bits) {
        for (int i = 3; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 64 + 63 - Long.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }
}
