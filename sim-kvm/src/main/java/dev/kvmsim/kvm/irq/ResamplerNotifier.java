package dev.kvmsim.kvm.irq;

/**
 * The irqfd side of kvm_notify_irqfd_resampler: if a resampler exists for {@code gsi}, signal
 * its resamplefds (irqfd_resampler_notify) and return true.
 */
public interface ResamplerNotifier {
    boolean notifyResampler(int gsi);
}
