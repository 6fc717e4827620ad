package dev.kvmsim.kvm.iobus;

/**
 * Models virt/kvm/coalesced_mmio.c struct kvm_coalesced_mmio_dev: a zone that claims writes
 * falling wholly inside it and queues them in the VM's {@link CoalescedMmioRing} instead of
 * exiting; userspace replays them at its next exit. It occupies one slot of NR_IOBUS_DEVS.
 */
public final class CoalescedMmioDevice implements KvmIoDevice {
    private final CoalescedMmioZone zone;
    private final CoalescedMmioRing ring;

    public CoalescedMmioDevice(CoalescedMmioZone zone, CoalescedMmioRing ring) {
        this.zone = zone;
        this.ring = ring;
    }

    public CoalescedMmioZone zone() { return zone; }

    /**
     * Models coalesced_mmio_in_range: (addr, len) must lie wholly inside the zone; a negative
     * length or a wrapping end is out.
     */
    public boolean inRange(long addr, int len) {
        if (len < 0) {
            return false;
        }
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) < 0) {
            return false;
        }
        if (Long.compareUnsigned(addr, zone.addr()) < 0) {
            return false;
        }
        return Long.compareUnsigned(end, zone.addr() + Integer.toUnsignedLong(zone.size())) <= 0;
    }

    /** Models coalesced_mmio_write: out of range or ring full -> -EOPNOTSUPP; else queue, 0. */
    @Override
    public int write(int vcpu, long addr, int len, long value) {
        if (!inRange(addr, len)) {
            return NOT_HANDLED;
        }
        return ring.append(addr, len, value, zone.pio() == 1) ? 0 : NOT_HANDLED;
    }

    @Override
    public String describe() {
        return "coalesced " + zone;
    }

    @Override
    public String declineReason(long addr, int len, long value) {
        return inRange(addr, len) ? "coalesced ring full" : "not wholly inside the zone";
    }
}
