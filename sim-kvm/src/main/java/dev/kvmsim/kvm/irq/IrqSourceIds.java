package dev.kvmsim.kvm.irq;

/** The irq source ids of include/linux/kvm_host.h: one line-state bit per source on every pin. */
public final class IrqSourceIds {
    private IrqSourceIds() {
    }

    /** KVM_USERSPACE_IRQ_SOURCE_ID: KVM_IRQ_LINE and irqfd. */
    public static final int KVM_USERSPACE_IRQ_SOURCE_ID = 0;
    /** KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID: resampling irqfds. */
    public static final int KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID = 1;
    /** KVM_PIT_IRQ_SOURCE_ID: the in-kernel PIT. */
    public static final int KVM_PIT_IRQ_SOURCE_ID = 2;
}
