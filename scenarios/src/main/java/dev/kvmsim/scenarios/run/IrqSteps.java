package dev.kvmsim.scenarios.run;

import dev.kvmsim.kvm.irq.IrqLineStatus;
import dev.kvmsim.kvm.irq.IrqchipRoute;
import dev.kvmsim.kvm.irq.MsiRoute;
import dev.kvmsim.kvm.irq.RoutingEntry;
import dev.kvmsim.kvm.irqfd.KvmIrqfd;
import dev.kvmsim.kvm.vm.IoctlResult;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.RouteEntry;
import dev.kvmsim.scenarios.model.StepExpect;

import java.util.ArrayList;
import java.util.List;

/** The interrupt-side host steps: KVM_IRQFD, KVM_SET_GSI_ROUTING, KVM_IRQ_LINE_STATUS, KVM_SIGNAL_MSI. */
final class IrqSteps {
    private final Run run;

    IrqSteps(Run run) {
        this.run = run;
    }

    /**
     * KVM_IRQFD: {@code resample} sets KVM_IRQFD_FLAG_RESAMPLE, {@code deassign} KVM_IRQFD_FLAG_DEASSIGN;
     * the steps after a deassign wait for its flush (virt/kvm/eventfd.c kvm_irqfd_deassign).
     */
    StepExpect irqfd(HostStep.Irqfd s, HostSteps host) {
        int flags = (int) s.flags();
        int resamplefd = 0;
        if (s.resample() != null) {
            flags |= KvmIrqfd.KVM_IRQFD_FLAG_RESAMPLE;
            resamplefd = host.fd(s.resample());
        }
        if (s.deassign()) {
            flags |= KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN;
        }
        // kvm_irqfd_deassign returns only after flush_workqueue(irqfd_cleanup_wq): the VMM thread sleeps until then.
        IoctlResult r = run.vm().kvmIrqfd(new KvmIrqfd(host.fd(s.eventfd()), (int) s.gsi(), flags, resamplefd),
                run.vmmThread().sleepUntilReturn());
        return r.ok() ? new StepExpect.Ok() : HostSteps.failure(r, 0, 1);
    }

    /** KVM_SET_GSI_ROUTING with the entries in file order; an entry with count N stands for N entries. */
    StepExpect gsiRouting(HostStep.GsiRouting s) {
        List<RoutingEntry> entries = new ArrayList<>();
        for (RouteEntry e : s.entries()) {
            for (long k = 0; k < e.count(); k++) {
                int gsi = (int) (e.gsi() + k);
                if (e instanceof RouteEntry.Msi m) {
                    entries.add(new MsiRoute(gsi, (int) m.address(), (int) m.addressHi(), (int) m.data(), (int) m.flags(), 0));
                } else if (e instanceof RouteEntry.Irqchip c) {
                    entries.add(new IrqchipRoute(gsi, (int) c.irqchip(), (int) c.pin(), (int) c.flags()));
                }
            }
        }
        IoctlResult r = run.vm().setGsiRouting(entries, 0);
        return r.ok() ? new StepExpect.Ok() : HostSteps.failure(r, 0, 1);
    }

    /** KVM_IRQ_LINE_STATUS: the status the kernel returns (1 delivered, 0 coalesced, -1 not delivered), or an errno. */
    StepExpect irqLine(HostStep.IrqLine s) {
        IrqLineStatus r = run.vm().irqLine((int) s.irq(), (int) s.level());
        return r.ok() ? new StepExpect.Value(r.status()) : new StepExpect.Err(r.error());
    }

    /** KVM_SIGNAL_MSI: the ioctl's return (CPUs reached), or an errno. */
    StepExpect signalMsi(HostStep.SignalMsi s) {
        IoctlResult r = run.vm().signalMsi((int) s.address(), (int) s.addressHi(), (int) s.data(), (int) s.flags(), 0);
        return r.ok() ? new StepExpect.Value(r.value()) : HostSteps.failure(r, 0, 1);
    }
}
