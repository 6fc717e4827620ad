package dev.kvmsim.kvm.irqchip;

/**
 * Models arch/x86/kvm/lapic.h struct kvm_lapic_irq: one interrupt message on its way to the
 * local APICs. {@code deliveryMode} is in APIC_DM_* form (mode &lt;&lt; 8), {@code destMode} is
 * {@link Apic#APIC_DEST_PHYSICAL} or {@link Apic#APIC_DEST_LOGICAL}, {@code trigMode} true for
 * level-triggered.
 */
public record LapicIrq(int vector, int deliveryMode, int destMode, boolean level, boolean trigMode,
                       int shorthand, int destId, boolean msiRedirHint) {

    /** The same message with another delivery mode (the slow path's phys-broadcast LowPrio to Fixed rewrite). */
    public LapicIrq withDeliveryMode(int mode) {
        return new LapicIrq(vector, mode, destMode, level, trigMode, shorthand, destId, msiRedirHint);
    }
}
