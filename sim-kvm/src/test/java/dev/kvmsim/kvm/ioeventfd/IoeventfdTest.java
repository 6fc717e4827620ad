package dev.kvmsim.kvm.ioeventfd;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoBus;
import dev.kvmsim.kvm.iobus.KvmIoDevice;
import dev.kvmsim.kvm.vm.IoctlResult;
import dev.kvmsim.kvm.vm.KvmVm;
import dev.kvmsim.kvm.vm.VmOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.kvmsim.kvm.ioeventfd.KvmIoeventfd.FLAG_DATAMATCH;
import static dev.kvmsim.kvm.ioeventfd.KvmIoeventfd.FLAG_PIO;
import static dev.kvmsim.kvm.ioeventfd.KvmIoeventfd.FLAG_VIRTIO_CCW_NOTIFY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/kernel-model.md#ioeventfd: virt/kvm/eventfd.c kvm_ioeventfd and ioeventfd_write. */
class IoeventfdTest {
    private static final long A = 0xfe003000L;
    private static final int OK = 0;
    private static final int EOPNOTSUPP = Errno.EOPNOTSUPP.neg();

    private final Simulation sim = new Simulation(1);
    private KvmVm vm;
    private int fd;
    private int fd2;

    @BeforeEach
    void setUp() {
        vm = new KvmVm(sim, CostModel.defaults(), VmOptions.defaults());
        fd = vm.fds().eventfd2("kick0", 0, 0);
        fd2 = vm.fds().eventfd2("kick1", 0, 0);
    }

    private Errno err(IoctlResult r) {
        return r.errno().orElse(null);
    }

    private IoctlResult assign(KvmIoeventfd a) {
        return vm.ioeventfd(a);
    }

    private KvmIoBus mmio() { return vm.bus(KvmBus.MMIO); }

    private KvmIoBus pio() { return vm.bus(KvmBus.PIO); }

    private long count(int f) { return vm.fds().eventfd(f).count(); }

    // ---- matching: ioeventfd_in_range ----

    @Test
    void wildcard_matchesAnyValueOfTheRightLength() {
        // ioeventfd_in_range: wildcard -> hit once address and length are equal
        assign(KvmIoeventfd.wildcard(A, 4, fd, false));
        assertEquals(OK, mmio().write(0, A, 4, 0));
        assertEquals(OK, mmio().write(0, A, 4, 0xdeadbeefL));
        assertEquals(2, count(fd));
    }

    @Test
    void datamatch_matchesOnlyItsValue() {
        // ioeventfd_in_range: compare the value with datamatch
        assign(KvmIoeventfd.datamatch(A, 4, 1, fd, false));
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 4, 2));
        assertEquals(OK, mmio().write(0, A, 4, 1));
        assertEquals(1, count(fd));
    }

    @Test
    void datamatch_differentWriteLengthNeverMatches() {
        // ioeventfd_in_range: len != p->length -> no, even when the value is the datamatch
        assign(KvmIoeventfd.datamatch(A, 4, 1, fd, false));
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 2, 1));
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 8, 1));
        assertEquals(0, count(fd));
    }

    @Test
    void datamatch_widerThanTheAccessCanNeverMatch() {
        // ioeventfd_in_range: the value is zero-extended from the access width and compared with
        // the full 64-bit datamatch; bits above the width cannot match
        assign(KvmIoeventfd.datamatch(A, 2, 0x1_0001L, fd, false));
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 2, 0x0001));
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 2, 0x1_0001L));
        assertEquals(0, count(fd));
    }

    @Test
    void datamatch_comparesOnlyTheAccessWidthOfTheWrittenValue() {
        // *(u16 *)val: only the low 2 bytes of the store are read
        assign(KvmIoeventfd.datamatch(A, 2, 0xbeef, fd, false));
        assertEquals(OK, mmio().write(0, A, 2, 0xbeef));
        assertEquals(1, count(fd));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void lenZero_catchesAnyLength(int len) {
        // ioeventfd_in_range: p->length == 0 -> hit at the exact address for any write length
        assign(KvmIoeventfd.wildcard(A, 0, fd, false));
        assertEquals(OK, mmio().write(0, A, len, 0x55));
        assertEquals(1, count(fd));
    }

    @Test
    void writesAtAnOffsetOrWiderThanTheRangeDoNotMatch() {
        // ioeventfd_in_range: the address must be exact; the bus may call the device for an access
        // contained in its range (kvm_io_bus_cmp), but the ioeventfd declines it
        assign(KvmIoeventfd.wildcard(A, 8, fd, false));
        assertEquals(EOPNOTSUPP, mmio().write(0, A + 4, 4, 0));   // offset inside the range
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 4, 0));       // narrower, same address
        assertEquals(EOPNOTSUPP, mmio().write(0, A - 4, 16, 0));  // wider, covering it
        assertEquals(0, count(fd));
    }

    @Test
    void pioAndMmioAreSeparate() {
        // ioeventfd_bus_from_flags: PIO -> KVM_PIO_BUS, else KVM_MMIO_BUS
        assign(KvmIoeventfd.wildcard(0x510, 2, fd, true));
        assign(KvmIoeventfd.wildcard(0x510, 2, fd2, false));
        assertEquals(OK, pio().write(0, 0x510, 2, 0));
        assertEquals(1, count(fd));
        assertEquals(0, count(fd2));
        assertEquals(OK, mmio().write(0, 0x510, 2, 0));
        assertEquals(1, count(fd2));
    }

    @Test
    void busFromFlags_pioWinsOverVirtioCcw() {
        // ioeventfd_bus_from_flags checks PIO first
        assertEquals(KvmBus.PIO, Ioeventfds.busFromFlags(FLAG_PIO | FLAG_VIRTIO_CCW_NOTIFY));
        assertEquals(KvmBus.VIRTIO_CCW_NOTIFY, Ioeventfds.busFromFlags(FLAG_VIRTIO_CCW_NOTIFY));
        assertEquals(KvmBus.MMIO, Ioeventfds.busFromFlags(FLAG_DATAMATCH));
        assertEquals(IoctlResult.OK, assign(new KvmIoeventfd(0, 0x10, 4, fd, FLAG_VIRTIO_CCW_NOTIFY)));
        assertEquals(1, vm.bus(KvmBus.VIRTIO_CCW_NOTIFY).deviceCount());
    }

    @Test
    void keepsFiringAfterTheDescriptorIsClosed() {
        // the ioeventfd holds an eventfd ctx reference (eventfd_ctx_fdget), not the file
        assign(KvmIoeventfd.wildcard(A, 4, fd, false));
        EventfdCtx ctx = vm.fds().eventfd(fd);
        assertEquals(0, vm.fds().close(fd));
        assertEquals(OK, mmio().write(0, A, 4, 1));
        assertEquals(1, ctx.count());
        // and a deassign through the closed descriptor is EBADF
        assertEquals(Errno.EBADF, err(vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, fd, false).deassign())));
    }

    @Test
    void busDispatchTrace_explainsWhyAnIoeventfdDeclined() {
        dev.kvmsim.core.trace.MemoryTraceSink sink = new dev.kvmsim.core.trace.MemoryTraceSink();
        sim.setTraceSink(sink);
        assign(KvmIoeventfd.datamatch(A, 4, 1, fd, false));
        assign(KvmIoeventfd.datamatch(A, 4, 2, fd2, false));
        assertEquals(OK, mmio().write(0, A, 4, 2));
        var w = sink.eventsOf(dev.kvmsim.kvm.trace.KvmIoBusWrite.class).get(0);
        assertEquals(2, w.candidates());
        assertEquals(1, w.acceptedIndex());
        assertTrue(w.declined().endsWith("datamatch 0x2 != 0x1"), w.declined());
        assertEquals(1, sink.eventsOf(dev.kvmsim.kvm.trace.IoeventfdSignal.class).size());
    }

    // ---- assign validation, in the kernel's order (kvm_assign_ioeventfd) ----

    @ParameterizedTest
    @ValueSource(ints = {3, 5, 6, 7, 16, -1})
    void assign_badLengthIsEinval(int len) {
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(A, len, fd, false))));
    }

    @Test
    void assign_wrappingAddressIsEinval() {
        // addr + len < addr (u64)
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(0xffff_ffff_ffff_fffeL, 4, fd, false))));
        // exactly reaching 2^64 also wraps to 0
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(0xffff_ffff_ffff_fffcL, 4, fd, false))));
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(0xffff_ffff_ffff_fff0L, 4, fd, false)));
    }

    @Test
    void assign_noAlignmentCheck() {
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(0x1001, 4, fd, false)));
    }

    @Test
    void assign_unknownFlagsAreEinvalButBit4IsAccepted() {
        // flags & ~KVM_IOEVENTFD_VALID_FLAG_MASK (0x1F)
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(A, 4, fd, false).withFlags(0x20))));
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(A, 4, fd, false).withFlags(0x10)));
    }

    @Test
    void assign_lenZeroWithDatamatchIsEinval() {
        assertEquals(Errno.EINVAL, err(assign(new KvmIoeventfd(1, A, 0, fd, FLAG_DATAMATCH))));
    }

    @Test
    void assign_checksInTheKernelOrder() {
        // a bad length is reported before a bad fd, a bad flag before a bad fd, etc.
        int bad = vm.fds().unusedFd();
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(A, 3, bad, false))));
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(A, 4, bad, false).withFlags(0x100))));
        assertEquals(Errno.EBADF, err(assign(KvmIoeventfd.wildcard(A, 4, bad, false))));
    }

    @Test
    void assign_badDescriptorIsEbadfAndNonEventfdIsEinval() {
        // eventfd_ctx_fdget
        assertEquals(Errno.EBADF, err(assign(KvmIoeventfd.wildcard(A, 4, vm.fds().unusedFd(), false))));
        assertEquals(Errno.EINVAL, err(assign(KvmIoeventfd.wildcard(A, 4, vm.fds().openNonEventfd(), false))));
    }

    // ---- ioeventfd_check_collision ----

    @Test
    void collision_sameWildcardIsEexist() {
        assign(KvmIoeventfd.wildcard(A, 4, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.wildcard(A, 4, fd2, false))));
    }

    @Test
    void collision_wildcardAgainstDatamatchIsEexistBothWays() {
        assign(KvmIoeventfd.wildcard(A, 4, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.datamatch(A, 4, 1, fd2, false))));
        assign(KvmIoeventfd.datamatch(A + 0x100, 4, 1, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.wildcard(A + 0x100, 4, fd2, false))));
    }

    @Test
    void collision_sameDatamatchIsEexistDifferentIsFine() {
        assign(KvmIoeventfd.datamatch(A, 4, 1, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.datamatch(A, 4, 1, fd2, false))));
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.datamatch(A, 4, 2, fd2, false)));
    }

    @Test
    void collision_lenZeroCollidesWithAnyLengthBothWays() {
        assign(KvmIoeventfd.wildcard(A, 0, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.datamatch(A, 4, 1, fd2, false))));
        assign(KvmIoeventfd.datamatch(A + 0x100, 2, 1, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.wildcard(A + 0x100, 0, fd2, false))));
    }

    @Test
    void collision_differentLengthsDoNotCollide() {
        assign(KvmIoeventfd.wildcard(A, 4, fd, false));
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(A, 2, fd2, false)));
    }

    @Test
    void collision_overlappingButDifferentAddressesDoNotCollide() {
        assign(KvmIoeventfd.wildcard(A, 8, fd, false));
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(A + 4, 4, fd2, false)));
    }

    @Test
    void collision_differentBusesDoNotCollide() {
        assign(KvmIoeventfd.wildcard(0x510, 2, fd, false));
        assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(0x510, 2, fd, true)));
    }

    @Test
    void collision_eventfdIsNotCompared() {
        assign(KvmIoeventfd.datamatch(A, 4, 7, fd, false));
        assertEquals(Errno.EEXIST, err(assign(KvmIoeventfd.datamatch(A, 4, 7, fd, false))));
    }

    // ---- the FAST_MMIO twin of a len-0 MMIO ioeventfd ----

    @Test
    void lenZeroMmio_registersASecondIndependentIoeventfdOnTheFastBus() {
        EventfdCtx ctx = vm.fds().eventfd(fd);
        int refs = ctx.ctxRefs();
        assign(KvmIoeventfd.wildcard(A, 0, fd, false));
        assertEquals(1, mmio().deviceCount());
        assertEquals(1, vm.bus(KvmBus.FAST_MMIO).deviceCount());
        assertEquals(refs + 2, ctx.ctxRefs()); // one ctx reference each
        assertEquals(OK, vm.bus(KvmBus.FAST_MMIO).write(0, A, 0, 0));
        assertEquals(1, count(fd));
    }

    @Test
    void lenZeroPio_goesOnlyToThePioBus() {
        assign(KvmIoeventfd.wildcard(0x510, 0, fd, true));
        assertEquals(1, pio().deviceCount());
        assertEquals(0, vm.bus(KvmBus.FAST_MMIO).deviceCount());
    }

    @Test
    void lenZeroMmio_unwindsTheMmioOneWhenTheFastBusFails() {
        // kvm_assign_ioeventfd: fast_fail -> kvm_deassign_ioeventfd_idx(MMIO)
        KvmIoBus fast = vm.bus(KvmBus.FAST_MMIO);
        for (int i = 0; i < KvmIoBus.NR_IOBUS_DEVS; i++) {
            fast.register(0x1000L * i, 0, new KvmIoDevice() {
                @Override public int write(int vcpu, long addr, int len, long value) { return NOT_HANDLED; }
            });
        }
        EventfdCtx ctx = vm.fds().eventfd(fd);
        int refs = ctx.ctxRefs();
        assertEquals(Errno.ENOSPC, err(assign(KvmIoeventfd.wildcard(A, 0, fd, false))));
        assertEquals(0, mmio().deviceCount());
        assertEquals(0, vm.ioeventfds().list().size());
        assertEquals(refs, ctx.ctxRefs());
    }

    // ---- deassign (kvm_deassign_ioeventfd_idx) ----

    @Test
    void deassign_exactMatchRemovesAndDropsTheReference() {
        EventfdCtx ctx = vm.fds().eventfd(fd);
        int refs = ctx.ctxRefs();
        assign(KvmIoeventfd.datamatch(A, 4, 1, fd, false));
        assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.datamatch(A, 4, 1, fd, false).deassign()));
        assertEquals(0, mmio().deviceCount());
        assertEquals(0, mmio().ioeventfdCount());
        assertEquals(refs, ctx.ctxRefs());
        assertEquals(EOPNOTSUPP, mmio().write(0, A, 4, 1));
    }

    @Test
    void deassign_mustMatchEveryField() {
        assign(KvmIoeventfd.datamatch(A, 4, 1, fd, false));
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.datamatch(A, 4, 2, fd, false).deassign())));   // datamatch
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, fd, false).deassign())));        // wildcard-ness
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.datamatch(A, 4, 1, fd2, false).deassign())));  // ctx
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.datamatch(A, 2, 1, fd, false).deassign())));   // len
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.datamatch(A + 4, 4, 1, fd, false).deassign()))); // addr
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.datamatch(A, 4, 1, fd, true).deassign())));    // bus
        assertEquals(1, mmio().deviceCount());
    }

    @Test
    void deassign_doesNotValidateTheLength() {
        // no len validation on deassign: len 3 is ENOENT, not EINVAL (docs/real-kvm.md confirms)
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.wildcard(A, 3, fd, false).deassign())));
        assertEquals(Errno.ENOENT, err(vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, fd, false).withFlags(0x100).deassign())));
    }

    @Test
    void deassign_badDescriptorErrnos() {
        assertEquals(Errno.EBADF, err(vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, vm.fds().unusedFd(), false).deassign())));
        assertEquals(Errno.EINVAL, err(vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, vm.fds().openNonEventfd(), false).deassign())));
    }

    @Test
    void deassign_lenZeroMmioAlsoRemovesTheFastTwin() {
        assign(KvmIoeventfd.wildcard(A, 0, fd, false));
        assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.wildcard(A, 0, fd, false).deassign()));
        assertEquals(0, mmio().deviceCount());
        assertEquals(0, vm.bus(KvmBus.FAST_MMIO).deviceCount());
        assertTrue(vm.ioeventfds().list().isEmpty());
    }

    @Test
    void deassign_theFastTwinResultIsIgnored() {
        // only the MMIO-bus result counts: an MMIO len-0 entry without its twin deassigns fine
        assign(KvmIoeventfd.wildcard(A, 0, fd, false));
        Ioeventfd twin = vm.ioeventfds().list().stream().filter(p -> p.bus() == KvmBus.FAST_MMIO).findFirst().orElseThrow();
        vm.bus(KvmBus.FAST_MMIO).unregister(twin);
        assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.wildcard(A, 0, fd, false).deassign()));
    }

    @Test
    void ioeventfdsDoNotCountAgainstTheBusLimit() {
        for (int i = 0; i < 2000; i++) {
            assertEquals(IoctlResult.OK, assign(KvmIoeventfd.wildcard(0x1000L + 8L * i, 8, fd, false)));
        }
        assertEquals(2000, mmio().ioeventfdCount());
        assertFalse(mmio().deviceCount() - mmio().ioeventfdCount() > KvmIoBus.NR_IOBUS_DEVS - 1);
    }

    // ---- shadowing by the IOAPIC window depends on registration order ----

    /** Stands for the IOAPIC's MMIO window (0xFEC00000, 0x100): claims every access inside it. */
    private static final class FakeIoapic implements KvmIoDevice {
        int writes;

        @Override
        public int write(int vcpu, long addr, int len, long value) {
            if (addr < 0xfec00000L || addr + len > 0xfec00100L) {
                return NOT_HANDLED;
            }
            writes++;
            return 0;
        }
    }

    @Test
    void ioapicWindowRegisteredFirstShadowsALaterIoeventfdInside() {
        // equal-comparing ranges keep registration order; __kvm_io_bus_write stops at the first taker
        FakeIoapic ioapic = new FakeIoapic();
        mmio().register(0xfec00000L, 0x100, ioapic);
        assign(KvmIoeventfd.wildcard(0xfec00010L, 4, fd, false));
        assertEquals(OK, mmio().write(0, 0xfec00010L, 4, 1));
        assertEquals(1, ioapic.writes);
        assertEquals(0, count(fd));
    }

    @Test
    void ioeventfdRegisteredFirstShadowsTheIoapicWindow() {
        FakeIoapic ioapic = new FakeIoapic();
        assign(KvmIoeventfd.wildcard(0xfec00010L, 4, fd, false));
        mmio().register(0xfec00000L, 0x100, ioapic);
        assertEquals(OK, mmio().write(0, 0xfec00010L, 4, 1));
        assertEquals(0, ioapic.writes);
        assertEquals(1, count(fd));
        // a write the ioeventfd declines (other length) still reaches the IOAPIC behind it
        assertEquals(OK, mmio().write(0, 0xfec00010L, 2, 1));
        assertEquals(1, ioapic.writes);
    }
}
