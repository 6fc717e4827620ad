package dev.kvmsim.kvm.irqfd;

/**
 * Models include/uapi/linux/kvm.h struct kvm_irqfd: the KVM_IRQFD ioctl's argument (the pad is
 * not modelled; the kernel does not check it).
 */
public record KvmIrqfd(int fd, int gsi, int flags, int resamplefd) {
    /** KVM_IRQFD_FLAG_DEASSIGN. */
    public static final int KVM_IRQFD_FLAG_DEASSIGN = 1 << 0;
    /** KVM_IRQFD_FLAG_RESAMPLE. */
    public static final int KVM_IRQFD_FLAG_RESAMPLE = 1 << 1;

    /** An assignment of {@code fd} to {@code gsi}. */
    public static KvmIrqfd assign(int fd, int gsi) {
        return new KvmIrqfd(fd, gsi, 0, 0);
    }

    /** A resampling assignment: {@code resamplefd} is signalled at each EOI. */
    public static KvmIrqfd resample(int fd, int gsi, int resamplefd) {
        return new KvmIrqfd(fd, gsi, KVM_IRQFD_FLAG_RESAMPLE, resamplefd);
    }

    /** A deassignment of every irqfd with {@code fd}'s eventfd on {@code gsi}. */
    public static KvmIrqfd deassign(int fd, int gsi) {
        return new KvmIrqfd(fd, gsi, KVM_IRQFD_FLAG_DEASSIGN, 0);
    }
}
