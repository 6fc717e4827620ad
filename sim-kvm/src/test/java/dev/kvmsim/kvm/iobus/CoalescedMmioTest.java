package dev.kvmsim.kvm.iobus;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** virt/kvm/coalesced_mmio.c: zones on the bus and the shared ring. */
class CoalescedMmioTest {
    private final CoalescedMmioRing ring = new CoalescedMmioRing();
    private final KvmIoBus bus = new KvmIoBus(KvmBus.MMIO, new Simulation(1));

    @Test
    void inRange_requiresTheWholeAccessInsideTheZone() {
        // coalesced_mmio_in_range: addr >= zone.addr and addr + len <= zone.addr + zone.size
        CoalescedMmioDevice d = new CoalescedMmioDevice(CoalescedMmioZone.mmio(0x1000, 0x100), ring);
        assertTrue(d.inRange(0x1000, 4));
        assertTrue(d.inRange(0x10fc, 4));
        assertFalse(d.inRange(0x10fe, 4));  // straddles the end
        assertFalse(d.inRange(0xffc, 4));   // starts before
        assertFalse(d.inRange(0xffff_ffff_ffff_fffeL, 4)); // wraps
    }

    @Test
    void zoneClaimsWritesAndQueuesThemInTheRing() {
        CoalescedMmioDevice d = new CoalescedMmioDevice(CoalescedMmioZone.mmio(0x1000, 0x100), ring);
        bus.register(0x1000, 0x100, d);
        assertEquals(0, bus.write(0, 0x1010, 4, 0xabcd));
        assertEquals(Errno.EOPNOTSUPP.neg(), bus.write(0, 0x2000, 4, 0));
        assertEquals(1, ring.pending());
        List<String> seen = new ArrayList<>();
        assertEquals(1, ring.drain((a, l, v, pio) -> seen.add(Long.toHexString(a) + "/" + l + "=" + Long.toHexString(v) + (pio ? " pio" : ""))));
        assertEquals(List.of("1010/4=abcd"), seen);
        assertEquals(0, ring.pending());
    }

    @Test
    void fullRingDeclinesTheWrite() {
        // coalesced_mmio_write: (last + 1) % KVM_COALESCED_MMIO_MAX == first -> -EOPNOTSUPP (exit)
        CoalescedMmioDevice d = new CoalescedMmioDevice(CoalescedMmioZone.pio(0x60, 4), ring);
        for (int i = 0; i < CoalescedMmioRing.KVM_COALESCED_MMIO_MAX - 1; i++) {
            assertEquals(0, d.write(0, 0x60, 1, i));
        }
        assertEquals(KvmIoDevice.NOT_HANDLED, d.write(0, 0x60, 1, 0));
        assertEquals(169, ring.pending());
        ring.drain((a, l, v, pio) -> assertTrue(pio));
        assertEquals(0, d.write(0, 0x60, 1, 0));
    }

    @Test
    void ringCapacityIsTheKernelsPageLayout() {
        // (PAGE_SIZE - sizeof(struct kvm_coalesced_mmio_ring)) / sizeof(struct kvm_coalesced_mmio)
        assertEquals(170, CoalescedMmioRing.KVM_COALESCED_MMIO_MAX);
    }
}
