package dev.kvmsim.kvm.vm;

/** KVM_CHECK_EXTENSION capability numbers (include/uapi/linux/kvm.h) the model answers. */
public final class KvmCap {
    public static final int KVM_CAP_COALESCED_MMIO = 15;
    public static final int KVM_CAP_IRQFD = 32;
    public static final int KVM_CAP_IRQFD_RESAMPLE = 82;
    // irqchip and routing (irq helper)
    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_IRQ_ROUTING = 25;
    public static final int KVM_CAP_IRQ_INJECT_STATUS = 26;
    public static final int KVM_CAP_SIGNAL_MSI = 77;
    public static final int KVM_CAP_SPLIT_IRQCHIP = 121;
    public static final int KVM_CAP_X2APIC_API = 129;
    /** KVM_X2APIC_API_USE_32BIT_IDS | KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK. */
    public static final int KVM_X2APIC_API_VALID_FLAGS = 3;
    public static final int KVM_CAP_IOEVENTFD = 36;
    public static final int KVM_CAP_IOEVENTFD_NO_LENGTH = 100;
    public static final int KVM_CAP_IOEVENTFD_ANY_LENGTH = 122;
    public static final int KVM_CAP_COALESCED_PIO = 162;
    public static final int KVM_CAP_HALT_POLL = 182;
    /** KVM_COALESCED_MMIO_PAGE_OFFSET on x86: the ring is page 2 of the vCPU mmap. */
    public static final int KVM_COALESCED_MMIO_PAGE_OFFSET = 2;

    private KvmCap() { }
}
