package dev.kvmsim.kvm.iobus;

/**
 * Models include/uapi/linux/kvm.h struct kvm_coalesced_mmio_zone {@code {__u64 addr; __u32 size;
 * union { __u32 pad; __u32 pio; }}}: {@code pio} must be 0 (MMIO bus) or 1 (PIO bus), which
 * KVM_REGISTER_COALESCED_MMIO checks.
 */
public record CoalescedMmioZone(long addr, int size, int pio) {
    /** A zone on the MMIO bus. */
    public static CoalescedMmioZone mmio(long addr, int size) {
        return new CoalescedMmioZone(addr, size, 0);
    }

    /** A zone on the PIO bus (KVM_CAP_COALESCED_PIO). */
    public static CoalescedMmioZone pio(long addr, int size) {
        return new CoalescedMmioZone(addr, size, 1);
    }

    @Override
    public String toString() {
        return (pio == 1 ? "pio" : "mmio") + "[0x" + Long.toHexString(addr) + "+0x" + Integer.toHexString(size) + "]";
    }
}
