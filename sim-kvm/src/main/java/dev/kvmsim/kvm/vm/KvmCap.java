package dev.kvmsim.kvm.vm;

/** KVM_CHECK_EXTENSION capability numbers (include/uapi/linux/kvm.h) the model answers. */
public final class KvmCap {
    public static final int KVM_CAP_COALESCED_MMIO = 15;
    public static final int KVM_CAP_IRQFD = 32;
    public static final int KVM_CAP_IRQFD_RESAMPLE = 82;
    public static final int KVM_CAP_IOEVENTFD = 36;
    public static final int KVM_CAP_IOEVENTFD_NO_LENGTH = 100;
    public static final int KVM_CAP_IOEVENTFD_ANY_LENGTH = 122;
    public static final int KVM_CAP_COALESCED_PIO = 162;
    /** KVM_COALESCED_MMIO_PAGE_OFFSET on x86: the ring is page 2 of the vCPU mmap. */
    public static final int KVM_COALESCED_MMIO_PAGE_OFFSET = 2;

    private KvmCap() { }
}
