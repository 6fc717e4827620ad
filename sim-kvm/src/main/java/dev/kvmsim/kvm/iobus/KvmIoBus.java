package dev.kvmsim.kvm.iobus;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.trace.KvmIoBusWrite;

import java.util.ArrayList;
import java.util.List;

/**
 * Models virt/kvm/kvm_main.c struct kvm_io_bus with kvm_io_bus_register_dev,
 * kvm_io_bus_unregister_dev, kvm_io_bus_get_first_dev and __kvm_io_bus_write, bit for bit.
 *
 * <p>Caveats: single simulation thread. The kernel publishes a new array under SRCU on every
 * update; here a dispatch holds the {@link Snapshot} it started with, and an update made while
 * one is in progress (a device that (un)registers devices from its write handler) builds a new
 * array, so the walk is not disturbed; with no dispatch in progress the array (kept with spare
 * capacity) is updated in place, and a range that starts above every other goes at the end
 * without the scan, which is where the kernel's scan would put it: registering N devices in
 * address order costs O(N), not the O(N^2) of copying the array each time (docs/benchmarks-setup.md). The comparator {@link #cmp} is the kernel's
 * asymmetric {@code kvm_io_bus_cmp}, which is not a total order: the array can be "unsorted" by
 * address, and lookups reproduce whatever the kernel's bsearch does on such an array. Dispatch
 * allocates nothing unless tracing is on. The kernel's "bus is NULL after a failed shrink"
 * state (-ENOMEM) cannot arise here: allocation does not fail.
 */
public final class KvmIoBus {
    /** Models NR_IOBUS_DEVS (include/linux/kvm_host.h): the limit on non-ioeventfd devices. */
    public static final int NR_IOBUS_DEVS = 1000;

    private static final int NOT_HANDLED = Errno.EOPNOTSUPP.neg();
    private static final int ENOENT = Errno.ENOENT.neg();
    private static final int ENOSPC = Errno.ENOSPC.neg();

    /** One published version of the bus: struct kvm_io_bus (dev_count, ioeventfd_count, range[]). */
    static final class Snapshot {
        final int devCount;
        final int ioeventfdCount;
        final long[] addr;
        final int[] len;
        final KvmIoDevice[] dev;

        Snapshot(int devCount, int ioeventfdCount, long[] addr, int[] len, KvmIoDevice[] dev) {
            this.devCount = devCount;
            this.ioeventfdCount = ioeventfdCount;
            this.addr = addr;
            this.len = len;
            this.dev = dev;
        }
    }

    private static final Snapshot EMPTY = new Snapshot(0, 0, new long[0], new int[0], new KvmIoDevice[0]);

    private final KvmBus kind;
    private final Simulation sim;
    private Snapshot bus = EMPTY;
    /** An upper bound of the (unsigned) start addresses on the bus (exact until an unregister). */
    private long maxAddr;
    /** Dispatches in progress: while one is, updates copy the array instead of changing it. */
    private int walking;
    private KvmIoDevice lastAccepted = NONE;

    /** Stands for "no device" in {@link #lastAccepted()}. */
    public static final KvmIoDevice NONE = new KvmIoDevice() {
        @Override public int write(int vcpu, long addr, int len, long value) { return NOT_HANDLED; }
        @Override public String describe() { return "none"; }
    };

    public KvmIoBus(KvmBus kind, Simulation sim) {
        this.kind = kind;
        this.sim = sim;
    }

    public KvmBus kind() { return kind; }

    /** dev_count: every device on the bus, ioeventfds included. */
    public int deviceCount() { return bus.devCount; }

    /** ioeventfd_count: the ioeventfds among them. */
    public int ioeventfdCount() { return bus.ioeventfdCount; }

    /** The array as the kernel holds it, in order (a copy; for inspection and tests). */
    public List<KvmIoRange> ranges() {
        Snapshot b = bus;
        List<KvmIoRange> out = new ArrayList<>(b.devCount);
        for (int i = 0; i < b.devCount; i++) {
            out.add(new KvmIoRange(b.addr[i], b.len[i], b.dev[i]));
        }
        return out;
    }

    /**
     * Models kvm_main.c kvm_io_bus_cmp(r1, r2): -1 if r1 starts below r2; otherwise, if r2 has a
     * length, +1 when r1 ends beyond r2's end, else 0 (r1 inside r2); if r2 has length 0, +1
     * when r1 starts above r2, else 0 (exact address). Addresses are u64, ends wrap like gpa_t.
     */
    public static int cmp(long addr1, int len1, long addr2, int len2) {
        if (Long.compareUnsigned(addr1, addr2) < 0) {
            return -1;
        }
        // Only r2's length matters: a len-0 r2 matches an access starting at its exact address.
        if (len2 != 0) {
            addr1 += len1;
            addr2 += len2;
        }
        return Long.compareUnsigned(addr1, addr2) > 0 ? 1 : 0;
    }

    /**
     * Models kvm_io_bus_register_dev: -ENOSPC when {@code dev_count - ioeventfd_count > 999};
     * otherwise inserts before the first range that compares greater than the new one (the new
     * range as r2), publishes a new array and returns 0. An ioeventfd device bumps
     * ioeventfd_count (the kernel's caller does so right after registering).
     */
    public int register(long addr, int len, KvmIoDevice dev) {
        Snapshot old = bus;
        // "exclude ioeventfd which is limited by maximum fd"
        if (old.devCount - old.ioeventfdCount > NR_IOBUS_DEVS - 1) {
            return ENOSPC;
        }
        int n = old.devCount;
        int i;
        if (n == 0 || Long.compareUnsigned(addr, maxAddr) > 0) {
            // every range starts below addr, so each compares -1: the kernel's scan ends at n
            i = n;
        } else {
            i = 0;
            while (i < n && cmp(old.addr[i], old.len[i], addr, len) <= 0) {
                i++;
            }
        }
        long[] a;
        int[] l;
        KvmIoDevice[] d;
        if (walking == 0 && old.addr.length > n) {
            // nobody holds this array: insert in place (the set-up of N devices in address order is O(N))
            a = old.addr;
            l = old.len;
            d = old.dev;
        } else {
            int capacity = walking == 0 ? Math.max(n + 1, n + (n >> 1)) : n + 1;
            a = new long[capacity];
            l = new int[capacity];
            d = new KvmIoDevice[capacity];
            System.arraycopy(old.addr, 0, a, 0, i);
            System.arraycopy(old.len, 0, l, 0, i);
            System.arraycopy(old.dev, 0, d, 0, i);
        }
        System.arraycopy(old.addr, i, a, i + 1, n - i);
        System.arraycopy(old.len, i, l, i + 1, n - i);
        System.arraycopy(old.dev, i, d, i + 1, n - i);
        a[i] = addr;
        l[i] = len;
        d[i] = dev;
        if (n == 0 || Long.compareUnsigned(addr, maxAddr) > 0) {
            maxAddr = addr;
        }
        bus = new Snapshot(n + 1, old.ioeventfdCount + (dev.isIoeventfd() ? 1 : 0), a, l, d);
        return 0;
    }

    /**
     * Models kvm_io_bus_unregister_dev: removes the first entry holding this very device (by
     * identity); a device not on the bus is silently ignored. Always returns 0.
     */
    public int unregister(KvmIoDevice dev) {
        Snapshot old = bus;
        int n = old.devCount;
        int i = 0;
        while (i < n && old.dev[i] != dev) {
            i++;
        }
        if (i == n) {
            return 0;
        }
        long[] a;
        int[] l;
        KvmIoDevice[] d;
        if (walking == 0) {
            a = old.addr;
            l = old.len;
            d = old.dev;
        } else {
            a = new long[n - 1];
            l = new int[n - 1];
            d = new KvmIoDevice[n - 1];
            System.arraycopy(old.addr, 0, a, 0, i);
            System.arraycopy(old.len, 0, l, 0, i);
            System.arraycopy(old.dev, 0, d, 0, i);
        }
        System.arraycopy(old.addr, i + 1, a, i, n - i - 1);
        System.arraycopy(old.len, i + 1, l, i, n - i - 1);
        System.arraycopy(old.dev, i + 1, d, i, n - i - 1);
        if (d.length > n - 1) {
            d[n - 1] = null;
        }
        // maxAddr stays an upper bound of the addresses on the bus, which is all register needs
        bus = new Snapshot(n - 1, old.ioeventfdCount - (dev.isIoeventfd() ? 1 : 0), a, l, d);
        return 0;
    }

    /** Models kvm_io_bus_get_first_dev on the current array: the first index in range, or -ENOENT. */
    public int firstDev(long addr, int len) {
        return firstDev(bus, addr, len);
    }

    /**
     * Models kvm_io_bus_get_first_dev: lib/bsearch.c's loop exactly (the pivot is base +
     * num/2; on "greater" base moves past the pivot and num drops by one before halving),
     * then a backward walk while the previous entry still compares equal.
     */
    static int firstDev(Snapshot b, long addr, int len) {
        int base = 0;
        int num = b.devCount;
        int found = -1;
        while (num > 0) {
            int pivot = base + (num >> 1);
            int r = cmp(addr, len, b.addr[pivot], b.len[pivot]);
            if (r == 0) {
                found = pivot;
                break;
            }
            if (r > 0) {
                base = pivot + 1;
                num--;
            }
            num >>= 1;
        }
        if (found < 0) {
            return ENOENT;
        }
        int off = found;
        while (off > 0 && cmp(addr, len, b.addr[off - 1], b.len[off - 1]) == 0) {
            off--;
        }
        return off;
    }

    /**
     * Models kvm_io_bus_write: 0 when a device consumed the write, else -EOPNOTSUPP. {@code vcpu}
     * is the writing vCPU's index (traces name it "vcpuN").
     */
    public int write(int vcpu, long addr, int len, long value) {
        int idx = writeIndex(vcpu, addr, len, value);
        return idx < 0 ? idx : 0;
    }

    /**
     * Models __kvm_io_bus_write: from the first device in range, try each one while the key
     * still compares equal; the first returning 0 wins and its index is returned. None (or no
     * device in range) gives -EOPNOTSUPP. The forward walk stops at the first entry out of range.
     */
    public int writeIndex(int vcpu, long addr, int len, long value) {
        Snapshot b = bus;
        lastAccepted = NONE;
        int idx = firstDev(b, addr, len);
        int result = NOT_HANDLED;
        if (idx >= 0) {
            walking++;
            try {
                for (int i = idx; i < b.devCount && cmp(addr, len, b.addr[i], b.len[i]) == 0; i++) {
                    if (b.dev[i].write(vcpu, addr, len, value) == 0) {
                        result = i;
                        lastAccepted = b.dev[i];
                        break;
                    }
                }
            } finally {
                walking--;
            }
        }
        if (sim.tracing()) {
            traceWrite(b, vcpu, addr, len, value, idx, result);
        }
        return result;
    }

    /** The device that accepted the latest write on this bus, or {@link #NONE} if it was declined. */
    public KvmIoDevice lastAccepted() {
        return lastAccepted;
    }

    /** Models __kvm_io_bus_read: like the write walk, with each device's read op. */
    public int read(int vcpu, long addr, int len, long[] out) {
        Snapshot b = bus;
        int idx = firstDev(b, addr, len);
        if (idx < 0) {
            return NOT_HANDLED;
        }
        walking++;
        try {
            for (int i = idx; i < b.devCount && cmp(addr, len, b.addr[i], b.len[i]) == 0; i++) {
                if (b.dev[i].read(vcpu, addr, len, out) == 0) {
                    return 0;
                }
            }
        } finally {
            walking--;
        }
        return NOT_HANDLED;
    }

    private void traceWrite(Snapshot b, int vcpu, long addr, int len, long value, int first, int accepted) {
        int candidates = 0;
        StringBuilder declined = new StringBuilder();
        if (first >= 0) {
            int stop = accepted >= 0 ? accepted : b.devCount;
            for (int i = first; i < b.devCount && cmp(addr, len, b.addr[i], b.len[i]) == 0; i++) {
                candidates++;
                if (i < stop) {
                    if (declined.length() > 0) {
                        declined.append("; ");
                    }
                    declined.append(b.dev[i].describe()).append(": ").append(b.dev[i].declineReason(addr, len, value));
                }
            }
        }
        String acceptedBy = accepted >= 0 ? b.dev[accepted].describe() : "";
        sim.trace(new KvmIoBusWrite(sim.now(), vcpu, kind.kernelName(), addr, len, value, b.devCount,
                candidates, accepted, acceptedBy, declined.toString()));
    }
}
