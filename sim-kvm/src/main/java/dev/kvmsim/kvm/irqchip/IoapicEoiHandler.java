package dev.kvmsim.kvm.irqchip;

/**
 * Where an intercepted EOI goes (arch/x86/kvm/lapic.c kvm_ioapic_send_eoi): the in-kernel
 * IOAPIC (full irqchip) or a KVM_EXIT_IOAPIC_EOI to userspace (split irqchip).
 */
public interface IoapicEoiHandler {
    /** kvm_ioapic_handles_vector: is {@code vector} in this vCPU's ioapic_handled_vectors? */
    boolean handlesVector(LocalApic apic, int vector);

    /** Called with a handled vector after the ISR bit was cleared; {@code level} from the TMR bit. */
    void sendEoi(LocalApic apic, int vector, boolean level);

    /** No IOAPIC: nothing is handled. */
    IoapicEoiHandler NONE = new IoapicEoiHandler() {
        @Override public boolean handlesVector(LocalApic apic, int vector) { return false; }
        @Override public void sendEoi(LocalApic apic, int vector, boolean level) { }
    };
}
