package dev.kvmsim.scenarios.run;

import dev.kvmsim.core.Durations;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.eventfd.EventfdResult;
import dev.kvmsim.kvm.iobus.CoalescedMmioZone;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.vm.IoctlResult;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.model.Bus;
import dev.kvmsim.scenarios.model.Expectation;
import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.StepExpect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Executes host steps at their times: each action is the ioctl or system call it names,
 * made through the {@link dev.kvmsim.kvm.vm.KvmVm} facade or the descriptor table, and its
 * result is recorded in the step's {@link StepOutcome}.
 */
final class HostSteps {
    private final Run run;
    private final Evaluator evaluator;
    private final IrqSteps irq;

    HostSteps(Run run, Evaluator evaluator) {
        this.run = run;
        this.evaluator = evaluator;
        this.irq = new IrqSteps(run);
    }

    /** The descriptor a step passes for {@code ref}: the eventfd's (possibly closed) fd, an unused fd, or /dev/null. */
    int fd(FdRef ref) {
        return switch (ref.kind()) {
            case EVENTFD -> run.fdOf.get(ref.name());
            case BADFD -> run.fds().unusedFd();
            case NOTEVENT -> run.notEventFd;
        };
    }

    void execute(HostStep step, StepOutcome out) {
        run.vm().runAsVmm(() -> dispatch(step, out));
    }

    private void dispatch(HostStep step, StepOutcome out) {
        switch (step.action()) {
            case IOEVENTFD -> out.set(ioeventfd((HostStep.Ioeventfd) step));
            case IRQFD -> out.set(irq.irqfd((HostStep.Irqfd) step, this));
            case GSI_ROUTING -> out.set(irq.gsiRouting((HostStep.GsiRouting) step));
            case IRQ_LINE -> out.set(irq.irqLine((HostStep.IrqLine) step));
            case SIGNAL_MSI -> out.set(irq.signalMsi((HostStep.SignalMsi) step));
            case EVENTFD_WRITE -> {
                HostStep.EventfdWrite w = (HostStep.EventfdWrite) step;
                EventfdResult r = run.fds().write(fd(w.eventfd()), w.value(), completion(out, true));
                out.set(fromEventfd(r, true));
            }
            case EVENTFD_READ -> {
                HostStep.EventfdRead rd = (HostStep.EventfdRead) step;
                EventfdResult r = run.fds().read(fd(rd.eventfd()), completion(out, false));
                out.set(fromEventfd(r, false));
            }
            case EVENTFD_SIGNAL -> out.set(eventfdSignal((HostStep.EventfdSignal) step));
            case CLOSE -> {
                int r = run.fds().close(fd(((HostStep.Close) step).eventfd()));
                out.set(r == 0 ? new StepExpect.Ok() : new StepExpect.Err(Errno.fromNeg(r)));
            }
            case COALESCED_MMIO -> out.set(coalescedMmio((HostStep.CoalescedMmio) step));
            case CHECK -> check((HostStep.Check) step, out);
        }
    }

    /** KVM_IOEVENTFD, {@code count} times at addr, addr+stride, ..., stopping at the first failure. */
    private StepExpect ioeventfd(HostStep.Ioeventfd s) {
        int flags = (int) s.flags();
        if (s.bus() == Bus.PIO) {
            flags |= KvmIoeventfd.FLAG_PIO;
        } else if (s.bus() == Bus.VIRTIO_CCW) {
            flags |= KvmIoeventfd.FLAG_VIRTIO_CCW_NOTIFY;
        }
        if (s.hasDatamatch()) {
            flags |= KvmIoeventfd.FLAG_DATAMATCH;
        }
        if (s.deassign()) {
            flags |= KvmIoeventfd.FLAG_DEASSIGN;
        }
        int fd = fd(s.eventfd());
        for (long k = 0; k < s.count(); k++) {
            long addr = s.addr() + k * s.stride();
            IoctlResult r = run.vm().ioeventfd(new KvmIoeventfd(s.datamatch(), addr, (int) s.len(), fd, flags));
            if (!r.ok()) {
                return failure(r, k, s.count());
            }
        }
        return new StepExpect.Ok();
    }

    /** KVM_REGISTER_COALESCED_MMIO, {@code count} zones. */
    private StepExpect coalescedMmio(HostStep.CoalescedMmio s) {
        for (long k = 0; k < s.count(); k++) {
            long addr = s.addr() + k * s.stride();
            CoalescedMmioZone zone = s.bus() == Bus.PIO ? CoalescedMmioZone.pio(addr, (int) s.size()) : CoalescedMmioZone.mmio(addr, (int) s.size());
            IoctlResult r = run.vm().registerCoalescedMmio(zone);
            if (!r.ok()) {
                return failure(r, k, s.count());
            }
        }
        return new StepExpect.Ok();
    }

    static StepExpect failure(IoctlResult r, long k, long count) {
        Errno e = r.errno().orElseThrow(() -> new IllegalStateException("failed ioctl with unknown errno " + r.value()));
        return count == 1 ? new StepExpect.Err(e) : new StepExpect.ErrAfter(e, k);
    }

    /**
     * The in-kernel eventfd_signal, as a module holding the eventfd would call it: get the
     * context from the descriptor (eventfd_ctx_fdget: EBADF, EINVAL), signal n times, put it.
     */
    private StepExpect eventfdSignal(HostStep.EventfdSignal s) {
        int r = run.fds().kernelSignal(fd(s.eventfd()), s.n());
        return r == 0 ? new StepExpect.Ok() : new StepExpect.Err(Errno.fromNeg(r));
    }

    /** A write(2) that succeeded is {@code ok}; a read(2) gives {@code {value: N}}. */
    private static StepExpect fromEventfd(EventfdResult r, boolean write) {
        return switch (r.kind()) {
            case BLOCKED -> new StepExpect.Blocked();
            case ERROR -> new StepExpect.Err(r.errno());
            case OK -> write ? new StepExpect.Ok() : new StepExpect.Value(r.value());
        };
    }

    /** How a blocked read or write ends: recorded on the step when its waiting task is woken. */
    private Consumer<EventfdResult> completion(StepOutcome out, boolean write) {
        return r -> out.completion = "completed at " + Durations.format(run.sim().now()) + ": " + fromEventfd(r, write).render();
    }

    private void check(HostStep.Check c, StepOutcome out) {
        List<Report.ExpectationResult> results = new ArrayList<>();
        String where = "host[" + c.meta().index() + "] check at " + Durations.format(run.sim().now()) + " (line " + c.meta().loc().line() + ")";
        for (Expectation e : c.expectations()) {
            evaluator.evaluate(e, where, results);
        }
        results.forEach(run::addResult);
        long failed = results.stream().filter(r -> !r.passed()).count();
        out.resultText = "check: " + (results.size() - failed) + " passed, " + failed + " failed";
    }
}
