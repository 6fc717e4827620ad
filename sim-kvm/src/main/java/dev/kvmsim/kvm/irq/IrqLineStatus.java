package dev.kvmsim.kvm.irq;

import dev.kvmsim.kvm.Errno;

/**
 * The outcome of KVM_IRQ_LINE_STATUS: an error (ENXIO without an in-kernel irqchip) or the
 * {@code status} kvm_set_irq returned (&lt;0 not delivered, 0 coalesced, &gt;0 CPUs reached).
 */
public record IrqLineStatus(Errno error, int status) {
    public static IrqLineStatus of(int status) { return new IrqLineStatus(null, status); }

    public static IrqLineStatus failed(Errno error) { return new IrqLineStatus(error, 0); }

    public boolean ok() { return error == null; }
}
