package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step: the last file reference of an eventfd was dropped; eventfd_release wakes the
 * queue with EPOLLHUP and drops the file's context reference (kernel users keep theirs).
 *
 * @param waiters the entries on the queue when it was woken
 * @param ctxRefs the context references left (the context lives while this is above 0)
 */
public record EventfdReleaseEvent(long time, String task, int cpu, String eventfd, int waiters, int ctxRefs)
    implements TraceEvent {
    @Override public String event() { return "eventfd_release"; }

    @Override public String function() { return "eventfd_release"; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        return eventfd + ": last file reference closed: wake_up_poll(EPOLLHUP) over " + waiters
            + " waiter(s); " + ctxRefs + " context reference(s) remain";
    }
}
