package dev.kvmsim.kvm.irqchip;

/**
 * What the interrupt controllers need from the routing layer above them (virt/kvm/irqchip.c,
 * virt/kvm/eventfd.c), implemented by {@code irq.KvmIrqchip}: the package below owns the
 * interface so the two never form a cycle.
 */
public interface IrqchipHost {
    /** kvm_notify_acked_irq: trace kvm_ack_irq, look the GSI up in chip[][], run its ack notifiers. */
    void notifyAckedIrq(int irqchip, int pin);

    /** kvm_irq_has_notifier: some ack notifier listens on the GSI routed to this pin. */
    boolean irqHasNotifier(int irqchip, int pin);

    /** kvm_notify_irqfd_resampler: true when an irqfd resampler exists for this pin's GSI (and was signalled). */
    boolean notifyIrqfdResampler(int irqchip, int pin);

    /** A host that does nothing (no routing layer; used by unit tests of a single chip). */
    IrqchipHost NONE = new IrqchipHost() {
        @Override public void notifyAckedIrq(int irqchip, int pin) { }
        @Override public boolean irqHasNotifier(int irqchip, int pin) { return false; }
        @Override public boolean notifyIrqfdResampler(int irqchip, int pin) { return false; }
    };
}
