package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Tracepoint sched_waking (include/trace/events/sched.h sched_wakeup_template), emitted by
 * try_to_wake_up: {@code "comm=%s pid=%d prio=%d target_cpu=%03d"}; every task is a normal one
 * (prio 120).
 */
public record SchedWaking(long time, String comm, int pid, int targetCpu) implements TraceEvent {
    @Override public String task() { return comm; }
    @Override public int cpu() { return targetCpu; }
    @Override public String event() { return "sched_waking"; }
    @Override public String function() { return "try_to_wake_up"; }

    @Override
    public String fields() {
        return String.format("comm=%s pid=%d prio=120 target_cpu=%03d", comm, pid, targetCpu);
    }
}
