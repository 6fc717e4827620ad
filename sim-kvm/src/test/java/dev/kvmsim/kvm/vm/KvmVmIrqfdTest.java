package dev.kvmsim.kvm.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.host.HostThread;
import dev.kvmsim.kvm.irq.GuestState;
import dev.kvmsim.kvm.irq.KvmIrqchip;
import dev.kvmsim.kvm.irq.MsiRoute;
import dev.kvmsim.kvm.irq.RoutingEntry;
import dev.kvmsim.kvm.irqfd.KvmIrqfd;
import dev.kvmsim.kvm.vcpu.GuestAction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The KVM_IRQFD section of the facade, end to end with vCPUs and a host thread. */
class KvmVmIrqfdTest {
    private final Simulation sim = new Simulation(3);
    private final KvmVm vm = new KvmVm(sim, CostModel.defaults(), new VmOptions(1, false));

    private void bootedVm() {
        assertTrue(vm.createIrqchip().ok());
        vm.setGuestState(GuestState.BOOTED);
        vm.createVcpus();
    }

    @Test
    void kvmIrqfd_withoutAnIrqchipIsEinval() {
        int fd = vm.fds().eventfd2(0, 0);
        assertEquals(Errno.EINVAL, vm.kvmIrqfd(fd, 5, 0, 0).errno().orElseThrow());
        assertEquals(IoctlResult.OK, vm.kvmIrqfd(fd, 5, KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN, 0));
    }

    @Test
    void checkExtension_reportsIrqfdAndResample() {
        assertEquals(IoctlResult.ofValue(1), vm.checkExtension(KvmCap.KVM_CAP_IRQFD));
        assertEquals(IoctlResult.ofValue(1), vm.checkExtension(KvmCap.KVM_CAP_IRQFD_RESAMPLE));
    }

    @Test
    void vhostAnswerThroughAnMsiIrqfdReachesTheGuest() {
        bootedVm();
        List<RoutingEntry> routes = new ArrayList<>(KvmIrqchip.defaultRouting());
        routes.add(new MsiRoute(24, 0xfee00000, 0, 0x41));
        assertTrue(vm.setGsiRouting(routes, 0).ok());
        int kick = vm.fds().eventfd2("kick0", 0, 0);
        int call = vm.fds().eventfd2("call0", 0, 0);
        assertEquals(IoctlResult.OK, vm.kvmIrqfd(call, 24, 0, 0));
        HostThread vhost = new HostThread(vm.kernel(), "vhost-1", HostThread.Kind.VHOST, vm.fds().eventfd(kick),
            Distribution.constant(3_000), vm.fds().eventfd(call), 1);
        vm.startVcpus();
        vhost.start();
        sim.schedule(10_000, () -> vm.fds().eventfd(kick).eventfdSignal());
        sim.runUntil(1_000_000);
        assertEquals(1, vhost.services());
        assertEquals(1, vm.vcpu(0).delivered(0x41));
        assertEquals(0, vm.fds().eventfd(call).count());
        assertEquals(1, vm.irqfds().items().get(0).fastInjections());
    }

    @Test
    void resampleIrqfdOnALevelPinSignalsTheResamplefdAfterTheGuestsEoi() {
        bootedVm();
        vm.vcpu(0).setProgram(List.of(
            new GuestAction.IoapicRedirect(10, 0x50, GuestAction.Trigger.LEVEL, 0, GuestAction.DestMode.PHYSICAL, false),
            GuestAction.WaitIrq.any()));
        int fd = vm.fds().eventfd2("intx", 0, 0);
        int rfd = vm.fds().eventfd2("resample", 0, 0);
        assertEquals(IoctlResult.OK, vm.kvmIrqfd(fd, 10, KvmIrqfd.KVM_IRQFD_FLAG_RESAMPLE, rfd));
        vm.startVcpus();
        sim.runUntil(100_000);
        EventfdCtx intx = vm.fds().eventfd(fd);
        intx.eventfdSignal();
        sim.runUntil(2_000_000);
        assertEquals(1, vm.vcpu(0).delivered(0x50));
        assertEquals(1, vm.fds().eventfd(rfd).count());
    }
}
