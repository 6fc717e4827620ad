package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step: a task that slept on a wait queue (blocked read(2)/write(2), poll(2), a host
 * thread, a kworker) runs again after its wake-up latency and re-checks its condition.
 *
 * @param task   the woken task
 * @param reason what it was waiting for
 */
public record TaskWakeupEvent(long time, String task, int cpu, String reason) implements TraceEvent {
    @Override public String event() { return "task_wakeup"; }

    @Override public String function() { return "try_to_wake_up"; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() { return task + " runs again: " + reason; }
}
