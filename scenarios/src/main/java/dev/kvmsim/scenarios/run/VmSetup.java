package dev.kvmsim.scenarios.run;

import dev.kvmsim.kvm.haltpoll.GuestHaltPollParams;
import dev.kvmsim.kvm.haltpoll.HaltPollParams;
import dev.kvmsim.kvm.irq.GuestState;
import dev.kvmsim.kvm.vm.IoctlResult;
import dev.kvmsim.kvm.vm.KvmVm;
import dev.kvmsim.scenarios.model.HaltPollSpec;
import dev.kvmsim.scenarios.model.VmSpec;

/** The VMM's set-up of a VM before its vCPUs exist: the irqchip of {@code vm.irqchip} and the guest state. */
final class VmSetup {
    private VmSetup() {}

    /**
     * kernel: KVM_CREATE_IRQCHIP (PIC, IOAPIC, LAPICs, default routing); split:
     * KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP, 24 reserved IOAPIC pins, as QEMU does); none:
     * nothing. Must run before the vCPUs are created (the kernel refuses it after).
     */
    static void irqchip(KvmVm vm, VmSpec spec) {
        vm.setGuestState(spec.guestState() == VmSpec.GuestState.BOOTED ? GuestState.BOOTED : GuestState.RESET);
        IoctlResult r = switch (spec.irqchip()) {
            case KERNEL -> vm.createIrqchip();
            case SPLIT -> vm.enableSplitIrqchip(24);
            case NONE -> IoctlResult.OK;
        };
        if (!r.ok()) {
            throw new IllegalStateException("irqchip set-up failed: " + r);
        }
    }

    /**
     * Halt polling: the kvm module parameters of {@code vm.halt_poll_ns*}, and
     * KVM_ENABLE_CAP(KVM_CAP_HALT_POLL) when {@code vm.max_halt_poll_ns} is given.
     */
    static void haltPoll(KvmVm vm, VmSpec spec) {
        HaltPollSpec h = spec.haltPoll();
        vm.haltPoll().setParams(new HaltPollParams(h.haltPollNs(), h.grow(), h.growStart(), h.shrink()));
        if (h.maxHaltPollNs().isPresent()) {
            IoctlResult r = vm.enableHaltPoll(0, h.maxHaltPollNs().getAsLong());
            if (!r.ok()) {
                throw new IllegalStateException("KVM_ENABLE_CAP(KVM_CAP_HALT_POLL) failed: " + r);
            }
        }
    }

    /** {@code vm.guest_haltpoll}: every vCPU's guest idles through the haltpoll governor. After the vCPUs exist. */
    static void guestHaltPoll(KvmVm vm, VmSpec spec) {
        HaltPollSpec.Guest g = spec.haltPoll().guest();
        if (g == null) {
            return;
        }
        GuestHaltPollParams p = new GuestHaltPollParams(g.guestHaltPollNs(), g.grow(), g.growStart(), g.shrink(), g.allowShrink());
        for (int v = 0; v < vm.vcpuCount(); v++) {
            vm.enableGuestHaltPoll(v, p);
        }
    }

    /**
     * {@code vm.host_cpus}: the host's CPUs; each vCPU thread on its CPU set ({@code vcpus[i]},
     * else every CPU) and each host thread on {@code threads[].cpus} (else every CPU). Null
     * without it: every thread has a CPU of its own, as before.
     */
    static dev.kvmsim.kvm.sched.HostCpus hostCpus(KvmVm vm, VmSpec spec, java.util.List<dev.kvmsim.scenarios.model.ThreadSpec> specs,
                                                  java.util.Map<String, dev.kvmsim.kvm.host.HostThread> threads) {
        HaltPollSpec.HostCpus hc = spec.haltPoll().hostCpus();
        if (hc == null) {
            return null;
        }
        dev.kvmsim.kvm.sched.HostCpus cpus = new dev.kvmsim.kvm.sched.HostCpus(vm.sim(), hc.count());
        for (int v = 0; v < vm.vcpuCount(); v++) {
            long mask = v < hc.vcpuMasks().size() ? hc.vcpuMasks().get(v) : cpus.allCpus();
            vm.attachCpus(v, cpus, mask);
        }
        for (dev.kvmsim.scenarios.model.ThreadSpec t : specs) {
            long mask = t.polling().cpuMask() == 0 ? cpus.allCpus() : t.polling().cpuMask();
            threads.get(t.name()).attachCpus(cpus, mask);
        }
        return cpus;
    }
}
