package dev.kvmsim.kvm.ioeventfd;

/**
 * Models include/uapi/linux/kvm.h struct kvm_ioeventfd {@code {__u64 datamatch; __u64 addr;
 * __u32 len; __s32 fd; __u32 flags; __u8 pad[36];}} (pad is not checked by the kernel).
 * {@code len} is the raw u32 (a Java int holding the bits).
 */
public record KvmIoeventfd(long datamatch, long addr, int len, int fd, int flags) {
    /** KVM_IOEVENTFD_FLAG_DATAMATCH: compare the written value. */
    public static final int FLAG_DATAMATCH = 1 << 0;
    /** KVM_IOEVENTFD_FLAG_PIO: port I/O instead of MMIO. */
    public static final int FLAG_PIO = 1 << 1;
    /** KVM_IOEVENTFD_FLAG_DEASSIGN. */
    public static final int FLAG_DEASSIGN = 1 << 2;
    /** KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY. */
    public static final int FLAG_VIRTIO_CCW_NOTIFY = 1 << 3;
    /** Bit 4, kvm_ioeventfd_flag_nr_fast_mmio: no macro, inside the valid mask, ignored. */
    public static final int FLAG_NR_FAST_MMIO = 1 << 4;
    /** KVM_IOEVENTFD_VALID_FLAG_MASK = (1 << kvm_ioeventfd_flag_nr_max) - 1 = 0x1F. */
    public static final int VALID_FLAG_MASK = (1 << 5) - 1;

    /** A wildcard ioeventfd on MMIO (flags 0) or PIO. */
    public static KvmIoeventfd wildcard(long addr, int len, int fd, boolean pio) {
        return new KvmIoeventfd(0, addr, len, fd, pio ? FLAG_PIO : 0);
    }

    /** A datamatch ioeventfd on MMIO or PIO. */
    public static KvmIoeventfd datamatch(long addr, int len, long datamatch, int fd, boolean pio) {
        return new KvmIoeventfd(datamatch, addr, len, fd, FLAG_DATAMATCH | (pio ? FLAG_PIO : 0));
    }

    /** The same request with KVM_IOEVENTFD_FLAG_DEASSIGN set. */
    public KvmIoeventfd deassign() {
        return new KvmIoeventfd(datamatch, addr, len, fd, flags | FLAG_DEASSIGN);
    }

    /** The same request with extra flag bits ORed in. */
    public KvmIoeventfd withFlags(int extra) {
        return new KvmIoeventfd(datamatch, addr, len, fd, flags | extra);
    }

    @Override
    public String toString() {
        return String.format("kvm_ioeventfd{addr=0x%x, len=%d, fd=%d, flags=0x%x, datamatch=0x%x}",
                addr, Integer.toUnsignedLong(len), fd, flags, datamatch);
    }
}
