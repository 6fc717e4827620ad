package dev.kvmsim.kvm.irqfd;

import dev.kvmsim.kvm.irq.IrqAckNotifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Models struct kvm_kernel_irqfd_resampler: one per GSI, shared by every resampling irqfd of
 * that GSI; its ack notifier runs irqfd_resampler_ack on the guest's EOI.
 */
final class IrqfdResampler implements IrqAckNotifier {
    private final Irqfds owner;
    private final int gsi;
    /** The resampling irqfds of this GSI, newest first (list_add_rcu). */
    final List<Irqfd> list = new ArrayList<>(2);

    IrqfdResampler(Irqfds owner, int gsi) {
        this.owner = owner;
        this.gsi = gsi;
    }

    @Override public int gsi() { return gsi; }

    /** Models virt/kvm/eventfd.c irqfd_resampler_ack. */
    @Override public void irqAcked() {
        owner.resamplerAck(this);
    }

    @Override public String toString() { return "resampler[gsi " + Integer.toUnsignedString(gsi) + ", " + list.size() + " irqfd(s)]"; }
}
