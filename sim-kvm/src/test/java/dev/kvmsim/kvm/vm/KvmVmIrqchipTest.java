package dev.kvmsim.kvm.vm;

import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.irq.GuestState;
import dev.kvmsim.kvm.irq.IrqLineStatus;
import dev.kvmsim.kvm.irq.MsiRoute;
import dev.kvmsim.kvm.irqchip.LocalApic;
import dev.kvmsim.kvm.vcpu.GuestAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The irqchip section of the facade: KVM_CREATE_IRQCHIP, KVM_CAP_SPLIT_IRQCHIP, KVM_SET_GSI_ROUTING, KVM_IRQ_LINE, KVM_SIGNAL_MSI. */
class KvmVmIrqchipTest {
    private final Simulation sim = new Simulation(7);
    private final KvmVm vm = new KvmVm(sim, CostModel.defaults(), new VmOptions(2, false));

    // KVM_CREATE_IRQCHIP registers the PIC on the PIO bus and the IOAPIC on the MMIO bus
    @Test
    void createIrqchip_registersPicAndIoapic() {
        assertTrue(vm.createIrqchip().ok());
        assertEquals(3, vm.bus(KvmBus.PIO).deviceCount());
        assertEquals(1, vm.bus(KvmBus.MMIO).deviceCount());
        assertEquals(0, vm.bus(KvmBus.MMIO).write(0, 0xfec00000L, 4, 1));
        long[] out = new long[1];
        assertEquals(0, vm.bus(KvmBus.MMIO).read(0, 0xfec00010L, 4, out));
        assertEquals(0x00170011L, out[0]);
        assertEquals(0, vm.bus(KvmBus.PIO).write(0, 0x21, 1, 0xff));
        assertEquals(0xff, vm.irqchip().pic().imr(0));
        assertEquals(Errno.EEXIST, vm.createIrqchip().errno().orElseThrow());
    }

    // KVM_CREATE_IRQCHIP after KVM_CREATE_VCPU -> EINVAL; without an irqchip vCPUs have no LAPIC
    @Test
    void createIrqchip_afterVcpus_isEinval() {
        vm.createVcpus();
        assertEquals(Errno.EINVAL, vm.createIrqchip().errno().orElseThrow());
        assertFalse(vm.vcpu(0).localApic() instanceof LocalApic);
        assertEquals(Errno.ENXIO, vm.irqLine(4, 1).error());
        assertEquals(Errno.EINVAL, vm.signalMsi(0xfee00000, 0, 0x41, 0, 0).errno().orElseThrow());
        assertEquals(Errno.EINVAL, vm.setGsiRouting(List.of(), 0).errno().orElseThrow());
    }

    // vCPUs created after the irqchip get an in-kernel LAPIC; KVM_SIGNAL_MSI reaches them
    @Test
    void signalMsi_reachesVcpuLapic() {
        assertTrue(vm.createIrqchip().ok());
        vm.setGuestState(GuestState.BOOTED);
        vm.createVcpus();
        LocalApic apic = (LocalApic) vm.vcpu(1).localApic();
        assertEquals(IoctlResult.ofValue(1), vm.signalMsi(0xfee01000, 0, 0x41, 0, 0));
        assertTrue(apic.irrTest(0x41));
        assertEquals(IoctlResult.ofValue(2), vm.signalMsi(0xfeeff000, 0, 0x42, 0, 0));
        assertEquals(IoctlResult.OK, vm.signalMsi(0xfee07000, 0, 0x43, 0, 0), "no vCPU with APIC ID 7");
    }

    // Observed: a slow-path miss is EPERM (reset guest state: no software-enabled APIC for RH)
    @Test
    void signalMsi_slowPathMiss_isEperm() {
        assertTrue(vm.createIrqchip().ok());
        vm.createVcpus();
        assertEquals(Errno.EPERM, vm.signalMsi(0xfeeff008, 0, 0x41, 0, 0).errno().orElseThrow());
    }

    // split irqchip: LAPICs in kernel, IRQCHIP routes rejected, MSI routes accepted
    @Test
    void splitIrqchip_msiRoutesOnly() {
        assertEquals(Errno.EINVAL, vm.enableSplitIrqchip(4097).errno().orElseThrow());
        assertTrue(vm.enableSplitIrqchip(24).ok());
        vm.setGuestState(GuestState.BOOTED);
        vm.createVcpus();
        assertTrue(vm.vcpu(0).localApic() instanceof LocalApic);
        assertEquals(0, vm.bus(KvmBus.PIO).deviceCount());
        assertEquals(Errno.EINVAL, vm.setGsiRouting(List.of(new dev.kvmsim.kvm.irq.IrqchipRoute(1, 2, 1)), 0).errno().orElseThrow());
        assertTrue(vm.setGsiRouting(List.of(new MsiRoute(5, 0xfee00000, 0, 0x41)), 0).ok());
        assertEquals(IrqLineStatus.of(1), vm.irqLine(5, 1));
    }

    /*
     * Split irqchip: the guest's EOI of a vector targeted by a level-triggered MSI route on a GSI
     * below nr_reserved_ioapic_pins (arch/x86/kvm/irq.c kvm_scan_ioapic_routes) makes
     * lapic.c kvm_ioapic_send_eoi raise KVM_REQ_IOAPIC_EOI_EXIT; x86.c vcpu_enter_guest then
     * returns KVM_EXIT_IOAPIC_EOI (26) with run->eoi.vector. Edge routes and GSIs past the
     * reserved pins do not (docs/kernel-model.md#routing-and-irqchips).
     */
    @Test
    void splitIrqchip_levelMsiEoi_exitsToUserspaceWithIoapicEoi() {
        dev.kvmsim.core.trace.MemoryTraceSink trace = new dev.kvmsim.core.trace.MemoryTraceSink();
        sim.setTraceSink(trace);
        assertTrue(vm.enableSplitIrqchip(24).ok());
        vm.setGuestState(GuestState.BOOTED);
        vm.createVcpus();
        assertTrue(vm.setGsiRouting(List.of(
                new MsiRoute(5, 0xfee00000, 0, 0x8055),
                new MsiRoute(6, 0xfee00000, 0, 0x57),
                new MsiRoute(30, 0xfee00000, 0, 0x8056)), 0).ok());
        vm.startVcpus();
        sim.runUntil(10_000);
        assertEquals(IrqLineStatus.of(1), vm.irqLine(5, 1));
        sim.runUntil(100_000);
        assertEquals(1, vm.vcpu(0).delivered(0x55));
        assertEquals(1, vm.vcpu(0).userspaceExits(dev.kvmsim.kvm.vcpu.UserspaceExitKind.IOAPIC_EOI));
        assertEquals(1, vm.userspaceVmm().exits(k -> k.kind() == dev.kvmsim.kvm.vcpu.UserspaceExitKind.IOAPIC_EOI && k.data() == 0x55));
        assertEquals(List.of("reason KVM_EXIT_IOAPIC_EOI (26)"),
                trace.eventsOf(dev.kvmsim.kvm.trace.KvmUserspaceExit.class).stream().map(e -> e.fields()).toList());
        assertEquals(IrqLineStatus.of(1), vm.irqLine(6, 1));
        assertEquals(IrqLineStatus.of(1), vm.irqLine(30, 1));
        sim.runUntil(200_000);
        assertEquals(1, vm.vcpu(0).delivered(0x57));
        assertEquals(1, vm.vcpu(0).delivered(0x56));
        assertEquals(1, vm.vcpu(0).userspaceExits(dev.kvmsim.kvm.vcpu.UserspaceExitKind.IOAPIC_EOI), "edge route and GSI 30 >= 24 reserved pins: no exit");
    }

    // end to end: KVM_IRQ_LINE on an IOAPIC pin the guest programmed; the waiting vCPU takes the vector
    @Test
    void irqLine_ioapicPin_deliveredToWaitingVcpu() {
        assertTrue(vm.createIrqchip().ok());
        vm.setGuestState(GuestState.BOOTED);
        vm.createVcpus();
        vm.vcpu(0).setProgram(List.of(
                new GuestAction.IoapicRedirect(5, 0x35, GuestAction.Trigger.EDGE, 0, GuestAction.DestMode.PHYSICAL, false),
                GuestAction.WaitIrq.any()));
        vm.startVcpus();
        sim.runUntil(1_000_000);
        assertEquals(0x35, vm.irqchip().ioapic().entry(5) & 0xff, "the guest programmed the IOAPIC through MMIO");
        assertEquals(IrqLineStatus.of(1), vm.irqLine(5, 1));
        sim.runUntil(2_000_000);
        assertEquals(1, vm.vcpu(0).delivered(0x35));
    }

    // kvm_vm_ioctl_check_extension: the irqchip capabilities; KVM_CAP_IRQ_ROUTING = KVM_MAX_IRQ_ROUTES
    @Test
    void checkExtension_irqCapabilities() {
        assertEquals(IoctlResult.ofValue(4096), vm.checkExtension(KvmCap.KVM_CAP_IRQ_ROUTING));
        assertEquals(IoctlResult.ofValue(1), vm.checkExtension(KvmCap.KVM_CAP_SPLIT_IRQCHIP));
        assertEquals(IoctlResult.ofValue(1), vm.checkExtension(KvmCap.KVM_CAP_SIGNAL_MSI));
        assertEquals(IoctlResult.ofValue(3), vm.checkExtension(KvmCap.KVM_CAP_X2APIC_API));
    }

    // KVM_CAP_X2APIC_API: unknown flags EINVAL; USE_32BIT_IDS makes address_hi 7:0 invalid in routes
    @Test
    void enableX2apicApi_flags() {
        assertEquals(Errno.EINVAL, vm.enableX2apicApi(4).errno().orElseThrow());
        assertTrue(vm.createIrqchip().ok());
        assertTrue(vm.enableX2apicApi(1).ok());
        assertEquals(Errno.EINVAL, vm.setGsiRouting(List.of(new MsiRoute(5, 0xfee00000, 1, 0x41)), 0).errno().orElseThrow());
    }
}
