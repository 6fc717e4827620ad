package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step: eventfd_signal was called from inside the wakeup of another eventfd operation
 * ({@code current->in_eventfd} set); the kernel warns once and returns without touching the
 * counter, so the signal is lost.
 */
public record EventfdSignalLostEvent(long time, String task, int cpu, String eventfd, long count)
    implements TraceEvent {
    @Override public String event() { return "eventfd_signal_lost"; }

    @Override public String function() { return "eventfd_signal_mask"; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        return eventfd + ": signal lost: called from inside an eventfd wakeup (current->in_eventfd set, "
            + "WARN_ON_ONCE); count stays 0x" + Long.toHexString(count);
    }
}
