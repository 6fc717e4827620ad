package dev.kvmsim.kvm.iobus;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The io bus rules of docs/kernel-model.md#io-bus (virt/kvm/kvm_main.c). */
class KvmIoBusTest {
    private static final long A = 0xfe003000L;
    private final List<String> log = new ArrayList<>();
    private final Simulation sim = new Simulation(1);

    private KvmIoBus bus(KvmBus kind) {
        return new KvmIoBus(kind, sim);
    }

    private FakeDevice dev(String name, boolean accepts) {
        return new FakeDevice(name, accepts, log);
    }

    @Test
    void cmp_containmentNotOverlap() {
        // kvm_io_bus_cmp: key (r1) inside device (r2) compares 0; sticking out past the end is +1
        assertEquals(0, KvmIoBus.cmp(A, 4, A, 4));                 // same range
        assertEquals(0, KvmIoBus.cmp(A + 4, 4, A, 8));             // last 4 bytes
        assertEquals(1, KvmIoBus.cmp(A + 6, 4, A, 8));             // overlaps the end: not contained
        assertEquals(-1, KvmIoBus.cmp(A - 1, 4, A, 8));            // starts before
        assertEquals(1, KvmIoBus.cmp(A + 8, 1, A, 8));             // just after
    }

    @Test
    void cmp_lenZeroDeviceMatchesExactAddressOnly() {
        // kvm_io_bus_cmp: r2->len == 0 -> exact address, whatever r1's length
        assertEquals(0, KvmIoBus.cmp(A, 8, A, 0));
        assertEquals(0, KvmIoBus.cmp(A, 0, A, 0));
        assertEquals(1, KvmIoBus.cmp(A + 1, 1, A, 0));
        assertEquals(-1, KvmIoBus.cmp(A - 1, 1, A, 0));
        // asymmetric: only r2's length is special; a len-0 key against a sized range is containment
        assertEquals(0, KvmIoBus.cmp(A + 0x10, 0, A, 0x100));
    }

    @Test
    void cmp_lenZeroRangeAtTheEndOfASizedRangeIsContained() {
        // kvm_io_bus_cmp checks r1's end against r2's end: {A+8,0} ends at A+8 <= A+8 -> 0 [derived]
        assertEquals(0, KvmIoBus.cmp(A + 8, 0, A, 8));
        // so registering {0,0}, {A+8,0}, {A,8} leaves {A,8} last: cmp({A+8,0}, {A,8}) is not > 0
        KvmIoBus b = bus(KvmBus.MMIO);
        b.register(0, 0, dev("z", false));
        b.register(A + 8, 0, dev("zero", false));
        b.register(A, 8, dev("sized", false));
        assertEquals(List.of(0L, A + 8, A), b.ranges().stream().map(KvmIoRange::addr).toList());
    }

    @Test
    void cmp_addressesAreUnsigned() {
        // gpa_t is u64: 0x8000... is above 0x7fff...
        assertEquals(1, KvmIoBus.cmp(0x8000_0000_0000_0000L, 1, 0x7fff_ffff_ffff_fff0L, 8));
        assertEquals(-1, KvmIoBus.cmp(0x7fff_ffff_ffff_fff0L, 1, 0x8000_0000_0000_0000L, 8));
        assertEquals(0, KvmIoBus.cmp(0xffff_ffff_ffff_fff0L, 8, 0xffff_ffff_ffff_fff0L, 8));
    }

    @Test
    void register_equalRangesKeepRegistrationOrder() {
        // kvm_io_bus_register_dev: insert before the first range comparing greater -> after equals
        KvmIoBus b = bus(KvmBus.MMIO);
        FakeDevice d1 = dev("d1", false);
        FakeDevice d2 = dev("d2", false);
        FakeDevice d3 = dev("d3", true);
        b.register(A, 4, d1);
        b.register(A, 4, d2);
        b.register(A, 4, d3);
        assertEquals(List.of(d1, d2, d3), b.ranges().stream().map(KvmIoRange::dev).toList());
        assertEquals(0, b.write(0, A, 4, 1));
        assertEquals(List.of("d1", "d2", "d3"), log);
    }

    @Test
    void register_smallThenContainingGivesUnsortedArray() {
        // kvm_io_bus_register_dev with the asymmetric kvm_io_bus_cmp: {A+0x10,4} then {A,0x1000}
        // -> cmp({A+0x10,4}, {A,0x1000}) == 0 is not > 0, so the big range goes after it
        KvmIoBus b = bus(KvmBus.MMIO);
        FakeDevice small = dev("small", false);
        FakeDevice big = dev("big", true);
        b.register(A + 0x10, 4, small);
        b.register(A, 0x1000, big);
        List<KvmIoRange> r = b.ranges();
        assertEquals(A + 0x10, r.get(0).addr());
        assertEquals(A, r.get(1).addr());
        // registering in the other order gives the sorted array
        KvmIoBus c = bus(KvmBus.MMIO);
        c.register(A, 0x1000, big);
        c.register(A + 0x10, 4, small);
        assertEquals(A, c.ranges().get(0).addr());
    }

    @Test
    void write_triesDevicesInOrderUntilFirstAccepts() {
        // __kvm_io_bus_write: the first device returning 0 wins; later ones are not called
        KvmIoBus b = bus(KvmBus.PIO);
        b.register(0x510, 2, dev("no", false));
        b.register(0x510, 2, dev("yes", true));
        b.register(0x510, 2, dev("never", true));
        assertEquals(1, b.writeIndex(0, 0x510, 2, 7));
        assertEquals(List.of("no", "yes"), log);
    }

    @Test
    void write_noneAcceptsGivesEopnotsupp() {
        // __kvm_io_bus_write falls out of the loop -> -EOPNOTSUPP
        KvmIoBus b = bus(KvmBus.PIO);
        b.register(0x510, 2, dev("no", false));
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, 0x510, 2, 7));
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, 0x600, 2, 7));   // nothing in range
        assertEquals(Errno.EOPNOTSUPP.neg(), bus(KvmBus.PIO).write(0, 0x510, 2, 7)); // empty bus
    }

    @Test
    void firstDev_walksBackToTheFirstEqualEntry() {
        // kvm_io_bus_get_first_dev: bsearch may land in the middle of a run of equal entries
        KvmIoBus b = bus(KvmBus.MMIO);
        for (int i = 0; i < 7; i++) {
            b.register(A, 4, dev("d" + i, false));
        }
        assertEquals(0, b.firstDev(A, 4));
        assertEquals(Errno.ENOENT.neg(), b.firstDev(A + 4, 4));
    }

    @Test
    void write_boundariesOfARange() {
        // containment: before, first byte, last byte, after, straddling the end
        KvmIoBus b = bus(KvmBus.MMIO);
        FakeDevice d = dev("d", true);
        b.register(A, 0x10, d);
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, A - 1, 1, 0)); // just before
        assertEquals(0, b.write(0, A, 1, 0));                           // first byte
        assertEquals(0, b.write(0, A + 0xf, 1, 0));                     // last byte
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, A + 0x10, 1, 0)); // just after
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, A + 0xe, 4, 0)); // straddles the end
        assertEquals(0, b.write(0, A + 0x8, 8, 0));                     // wider access still inside
    }

    @ParameterizedTest
    @EnumSource(value = KvmBus.class, names = {"MMIO", "PIO"})
    void register_enospcOnlyFromNonIoeventfdDevices(KvmBus kind) {
        // kvm_io_bus_register_dev: -ENOSPC when dev_count - ioeventfd_count > NR_IOBUS_DEVS - 1
        KvmIoBus b = bus(kind);
        for (int i = 0; i < 5000; i++) {
            assertEquals(0, b.register(0x1000L + i * 8L, 8, new FakeDevice("e" + i, false, true, log)));
        }
        for (int i = 0; i < KvmIoBus.NR_IOBUS_DEVS; i++) {
            assertEquals(0, b.register(0x100000L + i * 8L, 8, dev("z" + i, false)), "device " + i);
        }
        assertEquals(6000, b.deviceCount());
        assertEquals(5000, b.ioeventfdCount());
        // the 1001st other device is refused, and now so is an ioeventfd
        assertEquals(Errno.ENOSPC.neg(), b.register(0x900000L, 8, dev("extra", false)));
        assertEquals(Errno.ENOSPC.neg(), b.register(0x900000L, 8, new FakeDevice("e", false, true, log)));
        // removing an ioeventfd does not help; removing an other device does
        b.unregister(b.ranges().get(0).dev());
        assertEquals(Errno.ENOSPC.neg(), b.register(0x900000L, 8, dev("extra", false)));
        b.unregister(b.ranges().get(b.deviceCount() - 1).dev());
        assertEquals(0, b.register(0x900000L, 8, dev("extra", false)));
    }

    @Test
    void unregister_byIdentityAndUnknownIsIgnored() {
        // kvm_io_bus_unregister_dev: linear search by dev pointer; not found -> 0, nothing changes
        KvmIoBus b = bus(KvmBus.MMIO);
        FakeDevice d1 = dev("same", true);
        FakeDevice d2 = dev("same", true);
        b.register(A, 4, d1);
        b.register(A, 4, d2);
        assertEquals(0, b.unregister(dev("same", true)));
        assertEquals(2, b.deviceCount());
        assertEquals(0, b.unregister(d1));
        assertEquals(List.of(d2), b.ranges().stream().map(KvmIoRange::dev).toList());
    }

    @Test
    void write_dispatchInProgressKeepsTheOldArray() {
        // copy-on-update (rcu_assign_pointer + synchronize_srcu): a walk in progress sees the old bus
        KvmIoBus b = bus(KvmBus.MMIO);
        FakeDevice second = dev("second", true);
        KvmIoDevice first = new KvmIoDevice() {
            @Override
            public int write(int vcpu, long addr, int len, long value) {
                log.add("first");
                b.unregister(second);
                b.register(addr, len, dev("newcomer", true));
                return NOT_HANDLED;
            }
        };
        b.register(A, 4, first);
        b.register(A, 4, second);
        assertEquals(1, b.writeIndex(0, A, 4, 0));
        assertEquals(List.of("first", "second"), log);
        log.clear();
        // the next write sees the new array: first, then newcomer
        assertEquals(1, b.writeIndex(0, A, 4, 0));
        assertEquals(List.of("first", "newcomer"), log);
    }

    @Test
    void write_forwardWalkStopsAtFirstEntryOutOfRange() {
        // registering s={A+0x10,4}, y={A+0x20,4}, then big={A,0x1000} gives [s, y, big]
        // (cmp(s,big) == cmp(y,big) == 0 are not > 0). __kvm_io_bus_write loops only while
        // cmp == 0, so a write to s that s declines stops at y and never reaches big [derived].
        KvmIoBus b = bus(KvmBus.MMIO);
        b.register(A + 0x10, 4, dev("s", false));
        b.register(A + 0x20, 4, dev("y", false));
        b.register(A, 0x1000, dev("big", true));
        assertEquals(List.of(A + 0x10, A + 0x20, A), b.ranges().stream().map(KvmIoRange::addr).toList());
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, A + 0x10, 4, 0));
        assertEquals(List.of("s"), log);
        // a write only big contains, and above y, is found (bsearch goes right of y)
        log.clear();
        assertEquals(0, b.write(0, A + 0x100, 4, 0));
        assertEquals(List.of("big"), log);
    }

    @Test
    void write_bsearchMissesAContainingRangeInAnUnsortedArray() {
        // kvm_io_bus_get_first_dev's bsearch on [s, y, big]: a write at A+4 compares -1 with y and
        // with s, so the search ends empty although big contains it -> -EOPNOTSUPP [derived]
        KvmIoBus b = bus(KvmBus.MMIO);
        b.register(A + 0x10, 4, dev("s", true));
        b.register(A + 0x20, 4, dev("y", true));
        b.register(A, 0x1000, dev("big", true));
        assertEquals(Errno.ENOENT.neg(), b.firstDev(A + 4, 4));
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, A + 4, 4, 0));
        assertTrue(log.isEmpty());
    }

    @Test
    void write_lenZeroKeyOnlyMatchesLenZeroDeviceAtExactAddress() {
        // handle_ept_misconfig uses a len-0 key on KVM_FAST_MMIO_BUS
        KvmIoBus b = bus(KvmBus.FAST_MMIO);
        b.register(A, 0, dev("fast", true));
        assertEquals(0, b.write(0, A, 0, 0));
        assertEquals(Errno.EOPNOTSUPP.neg(), b.write(0, A + 4, 0, 0));
    }
}
