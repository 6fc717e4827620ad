package dev.kvmsim.kvm.iobus;

/**
 * Models the per-VM struct kvm_coalesced_mmio_ring (include/uapi/linux/kvm.h), the page shared
 * with userspace: {@code first} (userspace's read index), {@code last} (the kernel's next free
 * slot) and {@link #KVM_COALESCED_MMIO_MAX} entries {@code {phys_addr, len, pio, data[8]}}.
 *
 * <p>Caveats: one ring per VM, shared by every zone; one slot always stays free, so it holds at
 * most MAX - 1 writes; a full ring makes the zone decline the write (it then exits to
 * userspace, which drains the ring). Single simulation thread; entries are primitive arrays.
 */
public final class CoalescedMmioRing {
    /**
     * KVM_COALESCED_MMIO_MAX = (PAGE_SIZE - sizeof(ring header)) / sizeof(struct
     * kvm_coalesced_mmio) = (4096 - 8) / 24 = 170.
     */
    public static final int KVM_COALESCED_MMIO_MAX = (4096 - 8) / 24;

    /** What userspace is handed for each drained entry. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(long physAddr, int len, long data, boolean pio);
    }

    private final long[] physAddr = new long[KVM_COALESCED_MMIO_MAX];
    private final int[] len = new int[KVM_COALESCED_MMIO_MAX];
    private final long[] data = new long[KVM_COALESCED_MMIO_MAX];
    private final boolean[] pio = new boolean[KVM_COALESCED_MMIO_MAX];
    private int first;
    private int last;
    private long appended;

    /**
     * The insertion step of virt/kvm/coalesced_mmio.c coalesced_mmio_write: false (the write is
     * declined) when the ring is full, i.e. {@code (last + 1) % MAX == first}.
     */
    public boolean append(long addr, int length, long value, boolean isPio) {
        int insert = last;
        if (insert >= KVM_COALESCED_MMIO_MAX || (insert + 1) % KVM_COALESCED_MMIO_MAX == first) {
            return false;
        }
        physAddr[insert] = addr;
        len[insert] = length;
        data[insert] = value;
        pio[insert] = isPio;
        last = (insert + 1) % KVM_COALESCED_MMIO_MAX;
        appended++;
        return true;
    }

    /** Entries waiting for userspace. */
    public int pending() {
        return (last - first + KVM_COALESCED_MMIO_MAX) % KVM_COALESCED_MMIO_MAX;
    }

    /** Total writes ever appended. */
    public long appended() { return appended; }

    /**
     * Userspace's drain loop (QEMU kvm_flush_coalesced_mmio_buffer): hands every entry from
     * {@code first} to {@code last} to {@code consumer}, advancing {@code first}; returns how many.
     */
    public int drain(EntryConsumer consumer) {
        int n = 0;
        while (first != last) {
            consumer.accept(physAddr[first], len[first], data[first], pio[first]);
            first = (first + 1) % KVM_COALESCED_MMIO_MAX;
            n++;
        }
        return n;
    }
}
