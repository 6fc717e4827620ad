package dev.kvmsim.kvm.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCounters;
import dev.kvmsim.kvm.host.HostThread;
import dev.kvmsim.kvm.host.UserspaceVmm;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.vcpu.ExitReason;
import dev.kvmsim.kvm.vcpu.GuestAction;
import dev.kvmsim.kvm.vcpu.UserspaceExitKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The VMM's view of the facade: what a userspace VMM (the scenario runner) calls instead of holding vCPUs or the kernel. */
class KvmVmVmmViewTest {
    private final Simulation sim = new Simulation(7);
    private final KvmVm vm = new KvmVm(sim, CostModel.defaults(), new VmOptions(2, false));

    @Test
    void guestProgramsExitsAndUserspaceExitsAreReadThroughTheVm() {
        int fd = vm.fds().eventfd2("kick0", 0, 0);
        assertEquals(IoctlResult.OK, vm.ioeventfd(KvmIoeventfd.datamatch(0xfe003000L, 4, 1, fd, false)));
        vm.createVcpus();
        assertEquals(2, vm.vcpuCount());
        vm.setGuestProgram(1, List.of(new GuestAction.Repeat(3, List.of(
                new GuestAction.MmioWrite(0, 0xfe003000L, 4, 1, 0, GuestAction.Expectation.KERNEL),
                new GuestAction.MmioWrite(1, 0xfe003000L, 4, 2, 0, GuestAction.Expectation.USERSPACE)))));
        vm.startVcpus();
        sim.run();
        // ioeventfd_in_range: data 1 matches the datamatch ioeventfd, data 2 goes to userspace (KVM_EXIT_MMIO)
        assertEquals(6, vm.exits(1, ExitReason.EPT_MISCONFIG));
        assertEquals(0, vm.exits(0, ExitReason.EPT_MISCONFIG));
        assertEquals(3, vm.actionCounts(1, 0).kernel());
        assertEquals(3, vm.actionCounts(1, 1).userspace());
        assertEquals(0, vm.delivered(1, -1));
        assertEquals(3, vm.fds().eventfdCounters(fd).count());
        Map<UserspaceVmm.ExitKey, Long> exits = vm.userspaceExitCounts();
        assertEquals(Map.of(new UserspaceVmm.ExitKey(UserspaceExitKind.MMIO, 0xfe003000L, 4, 2), 3L), exits);
        assertThrows(UnsupportedOperationException.class, () -> exits.clear());
    }

    @Test
    void kernelSignalTakesTheContextByDescriptorAndCountersOutliveAClose() {
        int fd = vm.fds().eventfd2("e", 0, 0);
        EventfdCounters c = vm.fds().eventfdCounters(fd);
        // eventfd_ctx_fdget: a descriptor that is not open is -EBADF, a non-eventfd -EINVAL
        assertEquals(Errno.EBADF.neg(), vm.fds().kernelSignal(vm.fds().unusedFd(), 1));
        assertEquals(Errno.EINVAL.neg(), vm.fds().kernelSignal(vm.fds().openNonEventfd(), 1));
        assertEquals(0, vm.fds().kernelSignal(fd, 5));
        assertEquals(0, vm.fds().close(fd));
        assertEquals(5, c.count());
        assertEquals(5, c.signals());
        assertEquals(Errno.EBADF.neg(), vm.fds().kernelSignal(fd, 1));
    }

    @Test
    void runAsVmmRunsTheIoctlsAsTheVmmThreadAndRestoresTheCurrentTask() {
        Task vcpuThread = vm.kernel().newVcpuTask(0);
        Task[] during = new Task[1];
        try (var s = vm.kernel().switchTo(vcpuThread)) {
            vm.runAsVmm(() -> during[0] = vm.kernel().current());
            assertSame(vcpuThread, vm.kernel().current());
        }
        assertSame(vm.kernel().vmm(), during[0]);
    }

    @Test
    void aHostThreadWaitsOnAndSignalsEventfdsNamedByDescriptor() {
        int kick = vm.fds().eventfd2("kick", 0, 0);
        int kick2 = vm.fds().eventfd2("kick2", 0, 0);
        int call = vm.fds().eventfd2("call", 0, 0);
        HostThread t = vm.createHostThread("vhost-1", HostThread.Kind.VHOST, kick, Distribution.parse("1us"), call, 2);
        HostThread silent = vm.createHostThread("io-1", HostThread.Kind.IOTHREAD, kick2, Distribution.parse("1us"), -1, 3);
        t.start();
        silent.start();
        sim.run();
        vm.fds().write(kick, 1, r -> { });
        vm.fds().write(kick2, 1, r -> { });
        sim.run();
        // each serviced one request; only the one given a signal descriptor signalled it
        assertEquals(1, t.services());
        assertEquals(1, silent.services());
        assertEquals(1, vm.fds().eventfdCounters(call).count());
    }
}
