package dev.kvmsim.kvm.vcpu;

/**
 * What the vCPU needs from its in-kernel local APIC (arch/x86/kvm/lapic.c), implemented by
 * {@code irqchip.LocalApic}. The vCPU package sits below irqchip, so it owns this narrow port
 * and the APIC implements it.
 */
public interface LocalApicPort {
    /** Highest deliverable vector: IRR above PPR (TPR/ISR priority classes), or -1 (kvm_cpu_has_injectable_intr). */
    int pendingVector();

    /** Acknowledges {@code vector} at injection: IRR to ISR, PPR update (kvm_cpu_get_interrupt / kvm_apic_ack_interrupt). */
    void acknowledge(int vector);

    /** Guest EOI (apic_set_eoi): clears the highest ISR bit, informs the IOAPIC if needed; returns the vector or -1. */
    int eoi();

    /** True when an EOI of {@code vector} exits to KVM: always without APICv; with APICv only for vectors the IOAPIC must see. */
    boolean eoiExits(int vector);

    /** A guest write to the APIC page (0xFEE00000); true when the APIC claimed it. */
    boolean mmioWrite(long addr, int len, long value);
}
