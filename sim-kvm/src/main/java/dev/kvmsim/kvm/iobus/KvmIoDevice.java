package dev.kvmsim.kvm.iobus;

import dev.kvmsim.kvm.Errno;

/**
 * Models virt/kvm/iodev.h struct kvm_io_device and its ops: a device on a {@link KvmIoBus}.
 *
 * <p>"Not mine" is a return value: {@link #write} returns 0 when the device consumed the access
 * and {@code -EOPNOTSUPP} otherwise, so the bus goes on to the next candidate. The value of an
 * access is the little-endian bytes of the store, zero-extended into a {@code long} ({@code len}
 * of them; unused and undefined for a len-0 fast-MMIO key).
 */
public interface KvmIoDevice {
    /** -EOPNOTSUPP, the kernel's "not handled" answer. */
    int NOT_HANDLED = Errno.EOPNOTSUPP.neg();

    /** Models kvm_iodevice_write: 0 when handled, a negative errno (-EOPNOTSUPP) when not. */
    int write(int vcpu, long addr, int len, long value);

    /**
     * Models kvm_iodevice_read: 0 with the value in {@code out[0]}, or -EOPNOTSUPP (the default,
     * a device without a read op, like the ioeventfd).
     */
    default int read(int vcpu, long addr, int len, long[] out) {
        return NOT_HANDLED;
    }

    /** True for ioeventfds, which the bus counts apart (they do not count against NR_IOBUS_DEVS). */
    default boolean isIoeventfd() {
        return false;
    }

    /**
     * True for a device that compares the written value before claiming it (a datamatch
     * ioeventfd); the vCPU charges the cost model's {@code ioeventfd.datamatch} for it.
     */
    default boolean comparesData() {
        return false;
    }

    /** Short human-readable name for traces ({@code "ioeventfd mmio 0xfe003000/4 wildcard"}). */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * Why this device would decline the access (for the narration; called only when tracing):
     * e.g. {@code "datamatch 0x1 != 0x2"}.
     */
    default String declineReason(long addr, int len, long value) {
        return "declined";
    }
}
