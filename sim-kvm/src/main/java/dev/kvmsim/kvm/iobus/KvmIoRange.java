package dev.kvmsim.kvm.iobus;

/**
 * Models include/linux/kvm_host.h struct kvm_io_range: one entry of a bus's array, a view for
 * inspection ({@code toString} prints {@code [0xfec00000+0x100] IOAPIC}). The bus itself keeps
 * its entries in primitive arrays.
 */
public record KvmIoRange(long addr, int len, KvmIoDevice dev) {
    @Override
    public String toString() {
        return "[0x" + Long.toHexString(addr) + "+0x" + Integer.toHexString(len) + "] " + dev.describe();
    }
}
