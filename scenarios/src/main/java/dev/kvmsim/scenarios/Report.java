package dev.kvmsim.scenarios;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of one run, with a stable JSON form ({@link ReportWriter#json}): the same
 * scenario and seed give a byte-identical report. Maps are sorted; lists are in file order
 * (steps, expectations) or sorted by their key (vCPUs, userspace exits).
 *
 * @param scenario     the scenario's name
 * @param simulatedNs  simulated time at the end of the run
 * @param events       simulation events executed
 * @param stopped      why the run stopped before its end (a hard limit: event budget, zero-time loop, end of
 *                     representable time), or null when it ended normally; everything else is what was measured
 *                     up to that point
 */
public record Report(
        String scenario,
        long seed,
        long simulatedNs,
        long events,
        List<StepResult> steps,
        SortedMap<String, EventfdState> eventfds,
        List<VcpuState> vcpus,
        List<UserspaceExitCount> userspaceExits,
        SortedMap<String, LatencyStats> latencies,
        List<ExpectationResult> expectations,
        String stopped,
        List<ThreadState> threads,
        List<CpuUse> cpuUse) {

    /** A report without host CPU figures. */
    public Report(String scenario, long seed, long simulatedNs, long events, List<StepResult> steps,
                  SortedMap<String, EventfdState> eventfds, List<VcpuState> vcpus, List<UserspaceExitCount> userspaceExits,
                  SortedMap<String, LatencyStats> latencies, List<ExpectationResult> expectations, String stopped,
                  List<ThreadState> threads) {
        this(scenario, seed, simulatedNs, events, steps, eventfds, vcpus, userspaceExits, latencies, expectations, stopped, threads, List.of());
    }

    /** A report without host-thread figures. */
    public Report(String scenario, long seed, long simulatedNs, long events, List<StepResult> steps,
                  SortedMap<String, EventfdState> eventfds, List<VcpuState> vcpus, List<UserspaceExitCount> userspaceExits,
                  SortedMap<String, LatencyStats> latencies, List<ExpectationResult> expectations, String stopped) {
        this(scenario, seed, simulatedNs, events, steps, eventfds, vcpus, userspaceExits, latencies, expectations, stopped, List.of());
    }

    /** A report of a run that ended normally. */
    public Report(String scenario, long seed, long simulatedNs, long events, List<StepResult> steps,
                  SortedMap<String, EventfdState> eventfds, List<VcpuState> vcpus, List<UserspaceExitCount> userspaceExits,
                  SortedMap<String, LatencyStats> latencies, List<ExpectationResult> expectations) {
        this(scenario, seed, simulatedNs, events, steps, eventfds, vcpus, userspaceExits, latencies, expectations, null);
    }

    public Report {
        steps = List.copyOf(steps);
        eventfds = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(eventfds));
        vcpus = List.copyOf(vcpus);
        userspaceExits = List.copyOf(userspaceExits);
        latencies = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(latencies));
        expectations = List.copyOf(expectations);
        threads = threads == null ? List.of() : List.copyOf(threads);
        cpuUse = cpuUse == null ? List.of() : List.copyOf(cpuUse);
    }

    /**
     * A task's use of the host CPUs (extension, with vm.host_cpus): the CPU it ran on last, time
     * running, time runnable but waiting for a CPU, and how often it had to wait.
     */
    public record CpuUse(String task, int cpu, long runNs, long runnableWaitNs, long delayedSwitches) {}

    /**
     * A host thread at the end (extension): wake-ups out of sleep, events seen while it
     * busy-polled, services, host CPU time spent polling and its poll window now.
     */
    public record ThreadState(String name, long wakeups, long polledWakeups, long services, long pollCpuNs, long pollNs) {}

    /**
     * One host step's outcome (for a repeated step, the whole series).
     *
     * @param result      {@code ok}, an errno name, {@code {value: N}}, {@code blocked}, {@code {errno: E, after: K}}, or {@code check}
     * @param expected    the step's {@code expect}, or null
     * @param ok          the result matches {@code expected}; without {@code expected}: the step did not fail
     * @param completion  for a step that blocked: how its waiting task ended ({@code completed at 3us: {value: 1}}), or null
     */
    public record StepResult(int index, int line, String action, long atNs, String result, String expected, boolean ok, String completion) {}

    /** An eventfd at the end: its counter and the successful signals and writes over the run. */
    public record EventfdState(long counter, long signals) {}

    /**
     * A vCPU at the end: interrupts taken per vector, exits per reason and, when it halted, its
     * halt-polling statistics (the kernel's names, {@code poll_cpu_ns} and the final
     * {@code halt_poll_ns} window; empty when it never halted).
     */
    public record VcpuState(int vcpu, SortedMap<Integer, Long> delivered, SortedMap<String, Long> exits,
                            java.util.Map<String, Long> haltPoll) {
        public VcpuState {
            delivered = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(delivered));
            exits = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(exits));
            haltPoll = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(haltPoll));
        }

        /** A vCPU without halt-polling statistics. */
        public VcpuState(int vcpu, SortedMap<Integer, Long> delivered, SortedMap<String, Long> exits) {
            this(vcpu, delivered, exits, java.util.Map.of());
        }
    }

    /** Exits to userspace of one access shape ({@code kind} mmio or io). */
    public record UserspaceExitCount(String kind, long addr, int len, long data, long count) {}

    /** A latency metric's distribution, in ns. */
    public record LatencyStats(long count, long p50, long p90, long p99, long max, long mean, long min) {}

    /** One expectation checked (at the end, or by a {@code check} step at its time). */
    public record ExpectationResult(String description, String expected, String actual, boolean passed) {}

    /** Every step with an {@code expect} matched it, every expectation passed and the run was not stopped. */
    public boolean passed() {
        return stopped == null && failures().isEmpty() && failedSteps().isEmpty();
    }

    public List<ExpectationResult> failures() {
        return expectations.stream().filter(e -> !e.passed()).toList();
    }

    /** Steps whose result differs from their {@code expect}. */
    public List<StepResult> failedSteps() {
        return steps.stream().filter(s -> s.expected() != null && !s.ok()).toList();
    }

    /** Steps without {@code expect} that failed (reported, not an expectation failure). */
    public List<StepResult> unexpectedStepErrors() {
        return steps.stream().filter(s -> s.expected() == null && !s.ok()).toList();
    }
}
