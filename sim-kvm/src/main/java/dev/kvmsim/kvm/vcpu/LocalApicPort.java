package dev.kvmsim.kvm.vcpu;

/**
 * What the vCPU needs of its in-kernel local APIC (arch/x86/kvm/lapic.c), implemented by
 * {@code irqchip.LocalApic}; {@link #NONE} when the LAPIC is not in the kernel. The vCPU package
 * sits below irqchip, so it owns this narrow port and the APIC implements it.
 */
public interface LocalApicPort {
    /** Highest deliverable vector (in IRR, above PPR), or -1 (kvm_cpu_get_interrupt's choice). */
    int pendingVector();

    /** IRR -> ISR when {@code vector} is injected (kvm_inj_virq / kvm_apic_ack_interrupt). */
    void acknowledge(int vector);

    /**
     * The guest writes EOI (apic_set_eoi): clears the highest ISR bit, runs IOAPIC EOI and ack
     * notifiers as needed; returns the vector or -1.
     */
    int eoi();

    /**
     * True when the guest's EOI for {@code vector} exits: always without APICv (an MSR_WRITE);
     * with APICv only for vectors the IOAPIC must see (EOI_INDUCED).
     */
    boolean eoiExits(int vector);

    /** A guest MMIO write to the APIC page (0xFEE00000..0xFEE00FFF): true when claimed. */
    boolean mmioWrite(long addr, int len, long value);

    /**
     * Split irqchip: the vector of a pending KVM_REQ_IOAPIC_EOI_EXIT (vcpu->arch.pending_ioapic_eoi,
     * set by lapic.c kvm_ioapic_send_eoi) and clears the request; -1 if none.
     */
    default int takePendingIoapicEoi() { return -1; }

    /** No in-kernel LAPIC: nothing is ever pending, nothing is claimed. */
    LocalApicPort NONE = new LocalApicPort() {
        @Override public int pendingVector() { return -1; }
        @Override public void acknowledge(int vector) { }
        @Override public int eoi() { return -1; }
        @Override public boolean eoiExits(int vector) { return true; }
        @Override public boolean mmioWrite(long addr, int len, long value) { return false; }
    };
}
