package dev.kvmsim.kvm.ioeventfd;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoDevice;
import dev.kvmsim.kvm.trace.IoeventfdSignal;

/**
 * Models virt/kvm/eventfd.c struct _ioeventfd: an io-bus device that signals its eventfd when
 * a guest write matches. It holds an eventfd <em>context</em> reference (not a file reference),
 * so it keeps firing after the descriptor is closed.
 */
public final class Ioeventfd implements KvmIoDevice {
    private final Simulation sim;
    private final KvmBus bus;
    private final long addr;
    private final int length;
    private final EventfdCtx eventfd;
    private final long datamatch;
    private final boolean wildcard;
    private long hits;

    Ioeventfd(Simulation sim, KvmBus bus, long addr, int length, EventfdCtx eventfd, long datamatch, boolean wildcard) {
        this.sim = sim;
        this.bus = bus;
        this.addr = addr;
        this.length = length;
        this.eventfd = eventfd;
        this.datamatch = datamatch;
        this.wildcard = wildcard;
    }

    public KvmBus bus() { return bus; }

    public long addr() { return addr; }

    public int length() { return length; }

    public EventfdCtx eventfd() { return eventfd; }

    /** The datamatch value (0 for a wildcard, as kzalloc leaves it). */
    public long datamatch() { return datamatch; }

    public boolean wildcard() { return wildcard; }

    @Override
    public boolean comparesData() { return !wildcard; }

    /** Writes this ioeventfd consumed. */
    public long hits() { return hits; }

    /**
     * Models ioeventfd_in_range: exact address; a len-0 ioeventfd matches any length; else the
     * length must be equal; a wildcard matches any value; else the value read at the access width
     * (zero-extended, little-endian) must equal the full 64-bit datamatch.
     */
    public boolean inRange(long a, int len, long val) {
        if (a != addr) {
            return false; // address must be precise
        }
        if (length == 0) {
            return true; // length = 0 means only look at the address, so always a hit
        }
        if (len != length) {
            return false; // address-range must be precise for a hit
        }
        if (wildcard) {
            return true; // all else equal, wildcard is always a hit
        }
        long v;
        switch (len) {
            case 1 -> v = val & 0xffL;
            case 2 -> v = val & 0xffffL;
            case 4 -> v = val & 0xffff_ffffL;
            case 8 -> v = val;
            default -> {
                return false;
            }
        }
        return v == datamatch;
    }

    /** Models ioeventfd_write: no match -> -EOPNOTSUPP (the bus tries the next); match -> eventfd_signal, 0. */
    @Override
    public int write(int vcpu, long a, int len, long val) {
        if (!inRange(a, len, val)) {
            return NOT_HANDLED;
        }
        hits++;
        if (sim.tracing()) {
            sim.trace(new IoeventfdSignal(sim.now(), vcpu, bus.kernelName(), addr, length, wildcard, datamatch, eventfd.name()));
        }
        eventfd.eventfdSignal();
        return 0;
    }

    @Override
    public boolean isIoeventfd() {
        return true;
    }

    @Override
    public String describe() {
        return "ioeventfd " + bus.kernelName() + " 0x" + Long.toHexString(addr) + "/" + length
                + (wildcard ? " wildcard" : " datamatch 0x" + Long.toHexString(datamatch)) + " -> " + eventfd.name();
    }

    @Override
    public String declineReason(long a, int len, long val) {
        if (a != addr) {
            return "address 0x" + Long.toHexString(a) + " != 0x" + Long.toHexString(addr);
        }
        if (len != length) {
            return "length " + len + " != " + length;
        }
        long mask = len == 8 ? -1L : (1L << (len * 8)) - 1;
        return "datamatch 0x" + Long.toHexString(val & mask) + " != 0x" + Long.toHexString(datamatch);
    }

    @Override
    public String toString() {
        return describe();
    }
}
