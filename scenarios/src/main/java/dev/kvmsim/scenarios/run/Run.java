package dev.kvmsim.scenarios.run;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Durations;
import dev.kvmsim.core.RunLimitExceeded;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.stats.LatencyRecorder;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCounters;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.haltpoll.GuestHaltPollGovernor;
import dev.kvmsim.kvm.haltpoll.HaltPollStats;
import dev.kvmsim.kvm.host.HostThread;
import dev.kvmsim.kvm.host.ThreadPolling;
import dev.kvmsim.kvm.sched.CpuThread;
import dev.kvmsim.kvm.sched.HostCpus;
import dev.kvmsim.kvm.host.UserspaceVmm;
import dev.kvmsim.kvm.vcpu.ExitReason;
import dev.kvmsim.kvm.vm.KvmVm;
import dev.kvmsim.kvm.vm.VmOptions;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.model.EventfdSpec;
import dev.kvmsim.scenarios.model.Expectation;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.model.ThreadSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One run of one scenario. Set-up order (docs/scenarios.md): the VM and its irqchip, the vCPUs
 * with their programs, the eventfds, then every host step is scheduled at its time before
 * anything else is, so steps at one time run in file order and before any guest or thread
 * activity at that time; the host threads and the vCPUs start from an event at time 0
 * scheduled after the steps. The steps are made by one {@link VmmThread}: a step after an
 * ioctl that sleeps before returning (an irqfd deassign's flush) runs when it has returned.
 *
 * <p>Caveats: single use; not thread-safe.
 */
public final class Run {
    private final Scenario scenario;
    private final RunOptions options;
    private final long seed;
    private final Simulation sim;
    private final KvmVm vm;
    private final FdTable fds;
    /** Each declared eventfd's descriptor (closed ones keep their number, so later uses get EBADF). */
    final Map<String, Integer> fdOf = new HashMap<>();
    /** Each declared eventfd's context, kept for end-of-run checks after a close. */
    final Map<String, EventfdCounters> ctxOf = new TreeMap<>();
    final Map<String, HostThread> threads = new LinkedHashMap<>();
    final int notEventFd;
    private final List<StepOutcome> outcomes = new ArrayList<>();
    private final List<Report.ExpectationResult> results = new ArrayList<>();
    private final GuestPrograms programs;
    private final HostSteps steps;
    private final VmmThread vmmThread = new VmmThread();
    private final Evaluator evaluator;
    /** The host CPU model of vm.host_cpus, or null. */
    private final HostCpus hostCpus;
    /** Why the run stopped early (a hard limit), or null when it ended normally. */
    private String stopped;

    public Run(Scenario scenario, RunOptions options) {
        this.scenario = scenario;
        this.options = options;
        this.seed = options.seedOverride().orElse(scenario.seed());
        this.sim = new Simulation(seed);
        if (options.traceSink() != null) {
            sim.setTraceSink(options.traceSink());
        }
        Map<String, String> costs = new TreeMap<>(scenario.vm().costs());
        costs.putAll(options.costsOverride());
        this.vm = new KvmVm(sim, CostModel.defaults().withOverrides(costs), new VmOptions(scenario.vm().vcpus(), scenario.vm().apicv()));
        this.fds = vm.fds();
        VmSetup.irqchip(vm, scenario.vm());
        VmSetup.haltPoll(vm, scenario.vm());
        vm.createVcpus();
        VmSetup.guestHaltPoll(vm, scenario.vm());
        this.programs = new GuestPrograms(scenario.guest());
        for (GuestProgram p : scenario.guest()) {
            vm.setGuestProgram(p.vcpu(), programs.program(p.vcpu()));
        }
        for (EventfdSpec e : scenario.eventfds()) {
            int flags = (e.semaphore() ? EventfdCtx.EFD_SEMAPHORE : 0) | (e.nonblock() ? EventfdCtx.EFD_NONBLOCK : 0);
            int fd = fds.eventfd2(e.name(), e.initial(), flags);
            if (fd < 0) {
                throw new IllegalStateException("eventfd2 for " + e.name() + " failed: " + fd);
            }
            fdOf.put(e.name(), fd);
            ctxOf.put(e.name(), fds.eventfdCounters(fd));
        }
        this.notEventFd = fds.openNonEventfd();
        int cpu = scenario.vm().vcpus();
        for (ThreadSpec t : scenario.threads()) {
            int signal = t.signal() == null ? -1 : fdOf.get(t.signal());
            Distribution service = t.service();
            HostThread ht = vm.createHostThread(t.name(), t.kind() == ThreadSpec.Kind.VHOST ? HostThread.Kind.VHOST : HostThread.Kind.IOTHREAD,
                    fdOf.get(t.waitOn()), service, signal, cpu++);
            ThreadSpec.Polling p = t.polling();
            ht.setPolling(t.kind() == ThreadSpec.Kind.VHOST ? ThreadPolling.busyloop(p.busyloopNs())
                    : ThreadPolling.adaptive(p.pollMaxNs(), p.pollGrow(), p.pollShrink()));
            threads.put(t.name(), ht);
        }
        this.hostCpus = VmSetup.hostCpus(vm, scenario.vm(), scenario.threads(), threads);
        this.evaluator = new Evaluator(this);
        this.steps = new HostSteps(this, evaluator);
    }

    Simulation sim() { return sim; }

    KvmVm vm() { return vm; }

    VmmThread vmmThread() { return vmmThread; }

    FdTable fds() { return fds; }

    GuestPrograms programs() { return programs; }

    void addResult(Report.ExpectationResult r) {
        results.add(r);
    }

    /** Runs the scenario and returns its report. */
    public Report execute() {
        for (HostStep h : scenario.host()) {
            StepOutcome o = new StepOutcome(h);
            outcomes.add(o);
            sim.scheduleAt(h.meta().at(), () -> vmmThread.submit(() -> steps.execute(h, o)));
        }
        sim.scheduleAt(0, this::startActivity);
        long until = options.untilOverride().isPresent() ? options.untilOverride().getAsLong() : scenario.until().orElse(-1);
        try {
            boolean budgetReached = runLoop(until);
            if (budgetReached) {
                stopped = "event budget: stopped after " + sim.eventsRun() + " events at " + Durations.format(sim.now())
                        + " with events still pending (raise it with --max-events, or set until)";
            } else if (until > sim.now()) {
                sim.runUntil(until);
            }
        } catch (RunLimitExceeded e) {
            stopped = e.getMessage();
        }
        for (int i = 0; i < scenario.expect().size(); i++) {
            Expectation e = scenario.expect().get(i);
            evaluator.evaluate(e, "expect[" + i + "] (line " + e.loc().line() + ")", results);
        }
        programs.evaluateWriteExpectations(vm, results);
        for (StepOutcome o : outcomes) {
            if (o.resultText == null && o.step instanceof HostStep.Check c) {
                results.add(new Report.ExpectationResult("host[" + c.meta().index() + "] check (line " + c.meta().loc().line() + ")",
                        "evaluated at " + Durations.format(c.meta().at()), "not reached: the run ended at " + Durations.format(sim.now()), false));
            }
        }
        return report();
    }

    /**
     * Runs events up to {@code until} ({@code < 0}: none) within the event budget, telling the
     * progress listener every {@link RunOptions.ProgressListener#EVERY_EVENTS} events; true when
     * the budget stopped it with work pending. The listener does not change the order of events.
     */
    private boolean runLoop(long until) {
        long max = options.maxEvents();
        RunOptions.ProgressListener progress = options.progress();
        if (progress == null) {
            return sim.runBounded(until, max);
        }
        long limit = max == 0 ? Long.MAX_VALUE : max;
        while (true) {
            long chunk = Math.min(limit, sim.eventsRun() + RunOptions.ProgressListener.EVERY_EVENTS);
            if (!sim.runBounded(until, chunk)) {
                return false;
            }
            if (sim.eventsRun() >= limit) {
                return true;
            }
            progress.progress(sim.now(), sim.eventsRun());
        }
    }

    private void startActivity() {
        for (HostThread t : threads.values()) {
            t.start();
        }
        vm.startVcpus();
    }

    /** The vCPU's halt-polling statistics in report order, with its final window; empty if it never halted. */
    static Map<String, Long> haltPollStats(KvmVm vm, int vcpu) {
        HaltPollStats st = vm.haltPollStats(vcpu);
        GuestHaltPollGovernor g = vm.guestHaltPoll(vcpu);
        Map<String, Long> out = new LinkedHashMap<>();
        if (st.halts() == 0 && g == null) {
            return out;
        }
        for (String name : HaltPollStats.NAMES) {
            out.put(name, st.get(name));
        }
        out.put("halt_poll_ns", vm.haltPollNs(vcpu));
        if (g != null) {
            out.put("guest_polls", g.polls());
            out.put("guest_polls_timed_out", g.pollsTimedOut());
            out.put("guest_halts", g.halts());
            out.put("guest_poll_ns", g.pollNs());
            out.put("guest_poll_limit_ns", g.pollLimitNs());
        }
        return out;
    }

    private Report report() {
        List<Report.StepResult> stepResults = outcomes.stream().map(StepOutcome::toResult).toList();
        SortedMap<String, Report.EventfdState> eventfds = new TreeMap<>();
        ctxOf.forEach((name, ctx) -> eventfds.put(name, new Report.EventfdState(ctx.count(), ctx.signals())));
        List<Report.VcpuState> vcpus = new ArrayList<>();
        for (int v = 0; v < vm.vcpuCount(); v++) {
            SortedMap<Integer, Long> delivered = new TreeMap<>();
            for (int vec = 0; vec < 256; vec++) {
                if (vm.delivered(v, vec) > 0) {
                    delivered.put(vec, vm.delivered(v, vec));
                }
            }
            SortedMap<String, Long> exits = new TreeMap<>();
            for (ExitReason r : ExitReason.values()) {
                if (vm.exits(v, r) > 0) {
                    exits.put(r.name(), vm.exits(v, r));
                }
            }
            vcpus.add(new Report.VcpuState(v, delivered, exits, haltPollStats(vm, v)));
        }
        List<Report.UserspaceExitCount> us = new ArrayList<>();
        for (Map.Entry<UserspaceVmm.ExitKey, Long> e : vm.userspaceExitCounts().entrySet()) {
            UserspaceVmm.ExitKey k = e.getKey();
            us.add(new Report.UserspaceExitCount(k.kind().scenarioName(), k.addr(), k.len(), k.data(), e.getValue()));
        }
        us.sort((a, b) -> {
            int c = a.kind().compareTo(b.kind());
            if (c == 0) {
                c = Long.compareUnsigned(a.addr(), b.addr());
            }
            if (c == 0) {
                c = Integer.compare(a.len(), b.len());
            }
            return c != 0 ? c : Long.compareUnsigned(a.data(), b.data());
        });
        SortedMap<String, Report.LatencyStats> latencies = new TreeMap<>();
        for (Map.Entry<String, LatencyRecorder> e : sim.stats().latencies().entrySet()) {
            if (e.getValue().count() > 0) {
                latencies.put(e.getKey(), Evaluator.stats(e.getValue()));
            }
        }
        List<Report.ThreadState> ts = new ArrayList<>();
        for (HostThread t : threads.values()) {
            ts.add(new Report.ThreadState(t.name(), t.wakeups(), t.polledWakeups(), t.services(), t.pollCpuNs(), t.pollWindowNs()));
        }
        List<Report.CpuUse> cpuUse = new ArrayList<>();
        if (hostCpus != null) {
            for (CpuThread t : hostCpus.threads()) {
                cpuUse.add(new Report.CpuUse(t.task().comm(), t.cpu(), hostCpus.runNs(t), hostCpus.waitNs(t), t.delayedSwitches()));
            }
        }
        return new Report(scenario.name(), seed, sim.now(), sim.eventsRun(), stepResults, eventfds, vcpus, us, latencies, results, stopped, ts,
                cpuUse);
    }
}
