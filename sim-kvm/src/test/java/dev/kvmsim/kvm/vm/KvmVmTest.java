package dev.kvmsim.kvm.vm;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.iobus.CoalescedMmioZone;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoBus;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.vcpu.ExitReason;
import dev.kvmsim.kvm.vcpu.GuestAction;
import dev.kvmsim.kvm.vcpu.UserspaceExitKind;
import dev.kvmsim.kvm.vcpu.Vcpu;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade end to end: ioctls, a guest program, exits and userspace. */
class KvmVmTest {
    private final Simulation sim = new Simulation(7);
    private final KvmVm vm = new KvmVm(sim, CostModel.defaults(), new VmOptions(1, false));

    @Test
    void shouldAbsorbMatchingWritesInTheKernelAndExitForTheRest() {
        int fd = vm.fds().eventfd2("kick0", 0, 0);
        assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.datamatch(0xfe003000L, 4, 1, fd, false)));
        vm.createVcpus();
        Vcpu v = vm.vcpu(0);
        v.setProgram(List.of(new GuestAction.Repeat(10, List.of(
                new GuestAction.Compute(1000),
                new GuestAction.MmioWrite(0, 0xfe003000L, 4, 1, 0, GuestAction.Expectation.KERNEL),
                new GuestAction.MmioWrite(1, 0xfe003000L, 4, 2, 0, GuestAction.Expectation.USERSPACE),
                new GuestAction.PioWrite(2, 0x510, 2, 7, GuestAction.Expectation.USERSPACE)))));
        vm.startVcpus();
        sim.run();
        assertEquals(10, vm.fds().eventfd(fd).count());
        assertEquals(30, v.exits(ExitReason.EPT_MISCONFIG) + v.exits(ExitReason.IO_INSTRUCTION));
        assertEquals(10, v.actionCounts(0).kernel());
        assertEquals(10, v.actionCounts(1).userspace());
        assertEquals(10, v.userspaceExits(UserspaceExitKind.IO));
        assertEquals(0, v.expectationViolations());
        assertEquals(10, vm.userspaceVmm().exits(k -> k.kind() == UserspaceExitKind.MMIO && k.data() == 2));
        assertTrue(sim.stats().latency("exit_to_entry.EPT_MISCONFIG").count() == 20);
    }

    @Test
    void shouldGiveEnospcAtTheThousandthCoalescedZoneButNotForIoeventfds() {
        // kvm_io_bus_register_dev: ioeventfds are excluded from NR_IOBUS_DEVS
        int fd = vm.fds().eventfd2("e", 0, 0);
        for (int i = 0; i < 1500; i++) {
            assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.wildcard(0x10000000L + 8L * i, 4, fd, false)));
        }
        for (int i = 0; i < KvmIoBus.NR_IOBUS_DEVS; i++) {
            assertEquals(IoctlResult.OK, vm.registerCoalescedMmio(CoalescedMmioZone.mmio(0x20000000L + 0x1000L * i, 0x1000)));
        }
        assertEquals(Errno.ENOSPC, vm.registerCoalescedMmio(CoalescedMmioZone.mmio(0x30000000L, 0x10)).errno().orElseThrow());
        assertEquals(Errno.ENOSPC, vm.ioeventfd(KvmIoeventfd.wildcard(0x40000000L, 4, fd, false)).errno().orElseThrow());
        // the PIO bus is a different bus
        assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.wildcard(0x510, 2, fd, true)));
        assertEquals(2500, vm.bus(KvmBus.MMIO).deviceCount());
    }

    @Test
    void coalescedMmio_badPioIsEinvalAndUnregisterRemovesContainedZones() {
        // kvm_vm_ioctl_(un)register_coalesced_mmio: zone->pio must be 0 or 1
        assertEquals(Errno.EINVAL, vm.registerCoalescedMmio(new CoalescedMmioZone(0x1000, 0x10, 2)).errno().orElseThrow());
        assertEquals(IoctlResult.OK, vm.registerCoalescedMmio(CoalescedMmioZone.mmio(0x1000, 0x10)));
        assertEquals(IoctlResult.OK, vm.registerCoalescedMmio(CoalescedMmioZone.mmio(0x1010, 0x10)));
        assertEquals(IoctlResult.OK, vm.registerCoalescedMmio(CoalescedMmioZone.pio(0x1000, 0x10)));
        // coalesced_mmio_in_range(dev, zone->addr, zone->size): the GIVEN range must lie inside a
        // zone; a range covering both zones removes neither (and still returns 0)
        assertEquals(IoctlResult.OK, vm.unregisterCoalescedMmio(CoalescedMmioZone.mmio(0x1000, 0x20)));
        assertEquals(2, vm.bus(KvmBus.MMIO).deviceCount());
        // a range inside the second zone removes it; the PIO zone at the same address stays
        assertEquals(IoctlResult.OK, vm.unregisterCoalescedMmio(CoalescedMmioZone.mmio(0x1014, 4)));
        assertEquals(1, vm.bus(KvmBus.MMIO).deviceCount());
        assertEquals(IoctlResult.OK, vm.unregisterCoalescedMmio(CoalescedMmioZone.mmio(0x1000, 0x10)));
        assertEquals(0, vm.bus(KvmBus.MMIO).deviceCount());
        assertEquals(1, vm.bus(KvmBus.PIO).deviceCount());
    }

    @Test
    void coalescedWrites_stayInTheKernelAndAreDrainedAtTheNextExit() {
        vm.registerCoalescedMmio(CoalescedMmioZone.mmio(0xfe100000L, 0x1000));
        vm.createVcpus();
        Vcpu v = vm.vcpu(0);
        v.setProgram(List.of(
                new GuestAction.Repeat(3, List.of(GuestAction.MmioWrite.of(0, 0xfe100010L, 4, 5))),
                GuestAction.PioWrite.of(1, 0x70, 1, 0)));
        vm.startVcpus();
        sim.run();
        assertEquals(3, v.actionCounts(0).kernel());
        assertEquals(1, v.actionCounts(1).userspace());
        assertEquals(3, vm.userspaceVmm().coalescedDrained());
        assertEquals(0, vm.coalescedRing().pending());
    }

    @Test
    void checkExtension_ioeventfdAnyLength() {
        assertEquals(1, vm.checkExtension(KvmCap.KVM_CAP_IOEVENTFD_ANY_LENGTH).value());
    }
}
