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
}
