package dev.kvmsim.scenarios.run;

import dev.kvmsim.kvm.vcpu.ActionCounts;
import dev.kvmsim.kvm.vm.KvmVm;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.Loc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the scenario's guest programs to the vCPU model's {@link dev.kvmsim.kvm.vcpu.GuestAction}
 * records. Every write action gets an id per vCPU, so that its {@code expect: kernel|userspace}
 * can be checked against the vCPU's per-action counts at the end of the run.
 */
final class GuestPrograms {
    private record WriteRef(int vcpu, int id, String what, GuestAction.ExitExpect expect, Loc loc) {}

    private final Map<Integer, List<dev.kvmsim.kvm.vcpu.GuestAction>> programs = new HashMap<>();
    private final List<WriteRef> writes = new ArrayList<>();

    GuestPrograms(List<GuestProgram> guest) {
        for (GuestProgram p : guest) {
            int[] nextId = {0};
            programs.put(p.vcpu(), map(p.vcpu(), p.program(), nextId));
        }
    }

    List<dev.kvmsim.kvm.vcpu.GuestAction> program(int vcpu) {
        return programs.getOrDefault(vcpu, List.of());
    }

    private List<dev.kvmsim.kvm.vcpu.GuestAction> map(int vcpu, List<GuestAction> actions, int[] nextId) {
        List<dev.kvmsim.kvm.vcpu.GuestAction> out = new ArrayList<>(actions.size());
        for (GuestAction a : actions) {
            out.add(map(vcpu, a, nextId));
        }
        return out;
    }

    private dev.kvmsim.kvm.vcpu.GuestAction map(int vcpu, GuestAction a, int[] nextId) {
        if (a instanceof GuestAction.Compute c) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.Compute(c.ns());
        }
        if (a instanceof GuestAction.MmioWrite w) {
            int id = nextId[0]++;
            writes.add(new WriteRef(vcpu, id, "mmio_write 0x" + Long.toHexString(w.addr()), w.expect(), w.loc()));
            return new dev.kvmsim.kvm.vcpu.GuestAction.MmioWrite(id, w.addr(), w.len(), w.value(), 0, expectation(w.expect()));
        }
        if (a instanceof GuestAction.PioWrite w) {
            int id = nextId[0]++;
            writes.add(new WriteRef(vcpu, id, "pio_write 0x" + Long.toHexString(w.port()), w.expect(), w.loc()));
            return new dev.kvmsim.kvm.vcpu.GuestAction.PioWrite(id, (int) w.port(), w.len(), w.value(), expectation(w.expect()));
        }
        if (a instanceof GuestAction.WaitIrq w) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.WaitIrq(w.vector(), w.timeoutNs());
        }
        if (a instanceof GuestAction.WaitUntil w) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.WaitUntil(w.timeNs());
        }
        if (a instanceof GuestAction.Cli) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.Cli();
        }
        if (a instanceof GuestAction.Sti) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.Sti();
        }
        if (a instanceof GuestAction.IoapicRedirect r) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.IoapicRedirect((int) r.pin(), (int) r.vector(),
                    r.levelTriggered() ? dev.kvmsim.kvm.vcpu.GuestAction.Trigger.LEVEL : dev.kvmsim.kvm.vcpu.GuestAction.Trigger.EDGE,
                    (int) r.dest(), r.logical() ? dev.kvmsim.kvm.vcpu.GuestAction.DestMode.LOGICAL : dev.kvmsim.kvm.vcpu.GuestAction.DestMode.PHYSICAL,
                    r.masked());
        }
        if (a instanceof GuestAction.Repeat r) {
            return new dev.kvmsim.kvm.vcpu.GuestAction.Repeat(r.times(), map(vcpu, r.body(), nextId));
        }
        throw new IllegalArgumentException("unknown guest action " + a);
    }

    private static dev.kvmsim.kvm.vcpu.GuestAction.Expectation expectation(GuestAction.ExitExpect e) {
        return switch (e) {
            case ANY -> dev.kvmsim.kvm.vcpu.GuestAction.Expectation.NONE;
            case KERNEL -> dev.kvmsim.kvm.vcpu.GuestAction.Expectation.KERNEL;
            case USERSPACE -> dev.kvmsim.kvm.vcpu.GuestAction.Expectation.USERSPACE;
        };
    }

    /** One result per write action with an {@code expect}: it must hold for every execution. */
    void evaluateWriteExpectations(KvmVm vm, List<Report.ExpectationResult> out) {
        for (WriteRef w : writes) {
            if (w.expect() == GuestAction.ExitExpect.ANY) {
                continue;
            }
            ActionCounts c = vm.actionCounts(w.vcpu(), w.id());
            boolean kernel = w.expect() == GuestAction.ExitExpect.KERNEL;
            boolean passed = kernel ? c.userspace() == 0 : c.kernel() == 0;
            String want = kernel ? "kernel" : "userspace";
            out.add(new Report.ExpectationResult("guest vcpu " + w.vcpu() + " " + w.what() + " (line " + w.loc().line() + ") expect " + want,
                    want + " on every execution", "kernel " + c.kernel() + ", userspace " + c.userspace(), passed));
        }
    }
}
