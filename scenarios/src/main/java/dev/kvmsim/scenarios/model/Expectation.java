package dev.kvmsim.scenarios.model;

import java.util.Map;

/** One end-of-run (or {@code check} step) expectation. Each key is checked on its own. */
public sealed interface Expectation {

    Loc loc();

    /** {@code counter} and {@code signals} are null when not given. */
    record Eventfd(String eventfd, Comparison counter, Comparison signals, Loc loc) implements Expectation {}

    /** {@code vector} -1: all vectors. */
    record Vcpu(int vcpu, int vector, Comparison delivered, Loc loc) implements Expectation {}

    /** {@code vcpu} -1: all vCPUs; {@code reason} null: all reasons. */
    record Exits(int vcpu, String reason, Comparison count, Loc loc) implements Expectation {}

    /** {@code kind} null: both; addr/len/data: {@code has*} false when not narrowed. */
    record UserspaceExits(String kind, boolean hasAddr, long addr, boolean hasLen, long len, boolean hasData, long data,
                          Comparison count, Loc loc) implements Expectation {}

    /**
     * Extension: a host thread's wake-ups out of sleep, services and events seen while it
     * busy-polled ({@code polledWakeups}); null when not given.
     */
    record Thread(String thread, Comparison wakeups, Comparison services, Comparison polledWakeups, Loc loc) implements Expectation {
        public Thread(String thread, Comparison wakeups, Comparison services, Loc loc) {
            this(thread, wakeups, services, null, loc);
        }
    }

    /** {@code stats} keys: p50, p90, p99, max, mean, min, count. */
    record Latency(String metric, Map<String, Comparison> stats, Loc loc) implements Expectation {
        public Latency {
            stats = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stats));
        }
    }

    /**
     * Extension: a vCPU's halt-polling statistics ({@code halt_successful_poll}, ...,
     * {@code poll_cpu_ns}, and the final window {@code halt_poll_ns}); each given key is checked.
     */
    record HaltPoll(int vcpu, Map<String, Comparison> stats, Loc loc) implements Expectation {
        public HaltPoll {
            stats = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stats));
        }
    }
}
