package dev.kvmsim.kvm.irq;

/** Models struct kvm_irq_ack_notifier: called when the guest acknowledges (EOIs) an interrupt on {@link #gsi()}. */
public interface IrqAckNotifier {
    int gsi();

    /** The irq_acked callback (e.g. irqfd_resampler_ack). */
    void irqAcked();
}
