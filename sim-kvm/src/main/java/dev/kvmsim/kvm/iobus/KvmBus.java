package dev.kvmsim.kvm.iobus;

/** Models include/linux/kvm_host.h enum kvm_bus (the x86-relevant buses, kernel numbering). */
public enum KvmBus {
    /** KVM_MMIO_BUS: emulated MMIO accesses. */
    MMIO(0, "KVM_MMIO_BUS"),
    /** KVM_PIO_BUS: port I/O. */
    PIO(1, "KVM_PIO_BUS"),
    /** KVM_VIRTIO_CCW_NOTIFY_BUS: s390 virtio-ccw notifications (never written on x86). */
    VIRTIO_CCW_NOTIFY(2, "KVM_VIRTIO_CCW_NOTIFY_BUS"),
    /** KVM_FAST_MMIO_BUS: len-0 MMIO ioeventfds, consulted by handle_ept_misconfig before decode. */
    FAST_MMIO(3, "KVM_FAST_MMIO_BUS");

    private final int index;
    private final String kernelName;

    KvmBus(int index, String kernelName) {
        this.index = index;
        this.kernelName = kernelName;
    }

    /** The kernel's bus index (0..3). */
    public int index() { return index; }

    /** The kernel's enumerator name, {@code KVM_MMIO_BUS}. */
    public String kernelName() { return kernelName; }

    /** The bus with kernel index {@code index}. */
    public static KvmBus ofIndex(int index) {
        return values()[index];
    }
}
