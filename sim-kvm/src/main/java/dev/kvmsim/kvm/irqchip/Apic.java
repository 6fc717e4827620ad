package dev.kvmsim.kvm.irqchip;

/** APIC constants (arch/x86/include/asm/apicdef.h, arch/x86/kvm/lapic.h) in the kernel's encodings. */
public final class Apic {
    private Apic() {
    }

    // delivery modes as kvm_lapic_irq.delivery_mode holds them (mode << 8)
    public static final int APIC_DM_FIXED = 0x000;
    public static final int APIC_DM_LOWEST = 0x100;
    public static final int APIC_DM_SMI = 0x200;
    public static final int APIC_DM_REMRD = 0x300;
    public static final int APIC_DM_NMI = 0x400;
    public static final int APIC_DM_INIT = 0x500;
    public static final int APIC_DM_STARTUP = 0x600;
    public static final int APIC_DM_EXTINT = 0x700;

    public static final int APIC_DEST_PHYSICAL = 0x000;
    public static final int APIC_DEST_LOGICAL = 0x800;

    public static final int APIC_DEST_NOSHORT = 0x00000;
    public static final int APIC_DEST_SELF = 0x40000;
    public static final int APIC_DEST_ALLINC = 0x80000;
    public static final int APIC_DEST_ALLBUT = 0xC0000;

    public static final int APIC_BROADCAST = 0xFF;
    public static final int X2APIC_BROADCAST = 0xFFFFFFFF;

    /** Default base of the APIC page (MSR_IA32_APICBASE reset value) and its length. */
    public static final long APIC_DEFAULT_BASE = 0xFEE00000L;
    public static final int LAPIC_MMIO_LENGTH = 1 << 12;

    // register offsets
    public static final int APIC_ID = 0x20;
    public static final int APIC_LVR = 0x30;
    public static final int APIC_TASKPRI = 0x80;
    public static final int APIC_PROCPRI = 0xA0;
    public static final int APIC_EOI = 0xB0;
    public static final int APIC_LDR = 0xD0;
    public static final int APIC_DFR = 0xE0;
    public static final int APIC_SPIV = 0xF0;
    public static final int APIC_ISR = 0x100;
    public static final int APIC_TMR = 0x180;
    public static final int APIC_IRR = 0x200;
    public static final int APIC_ICR = 0x300;
    public static final int APIC_ICR2 = 0x310;
    public static final int APIC_LVT0 = 0x350;
    public static final int APIC_LVT1 = 0x360;

    public static final int APIC_SPIV_APIC_ENABLED = 1 << 8;
    public static final int APIC_SPIV_DIRECTED_EOI = 1 << 12;
    public static final int APIC_LVT_MASKED = 1 << 16;
    public static final int APIC_DFR_FLAT = 0xFFFFFFFF;
    public static final int APIC_DFR_CLUSTER = 0x0FFFFFFF;
    /** LINT0/LINT1 writable bits: vector, mode, polarity, remote IRR, trigger, mask. */
    public static final int LINT_MASK = 0x1FFFF & ~(1 << 12);
    /** Version register: version 0x14, 6 LVT entries (max LVT index 5). */
    public static final int APIC_VERSION = 0x14 | (5 << 16);

    // x86 irqchips (KVM_IRQCHIP_*) and pin counts
    public static final int KVM_IRQCHIP_PIC_MASTER = 0;
    public static final int KVM_IRQCHIP_PIC_SLAVE = 1;
    public static final int KVM_IRQCHIP_IOAPIC = 2;
    public static final int KVM_NR_IRQCHIPS = 3;
    public static final int KVM_IOAPIC_NUM_PINS = 24;
    public static final int PIC_NUM_PINS = 16;

    /** SELECT_PIC(irq): master for 0-7, slave for 8-15, IOAPIC otherwise (arch/x86/kvm/irq.h). */
    public static int selectPic(int irq) {
        return irq < 8 ? KVM_IRQCHIP_PIC_MASTER : irq < 16 ? KVM_IRQCHIP_PIC_SLAVE : KVM_IRQCHIP_IOAPIC;
    }

    /** kvm_lowest_prio_delivery: LowPrio delivery mode or the MSI redirection hint. */
    public static boolean lowestPrioDelivery(LapicIrq irq) {
        return irq.deliveryMode() == APIC_DM_LOWEST || irq.msiRedirHint();
    }
}
