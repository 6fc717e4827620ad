package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step: the in-kernel eventfd_signal added 1 to a counter (or found it saturated) and
 * woke the wait queue. No kernel tracepoint exists for it.
 *
 * @param eventfd the eventfd's name
 * @param before  the counter before (unsigned)
 * @param after   the counter after (unsigned)
 * @param waiters the entries on the wait queue when it was woken (0: no wakeup)
 */
public record EventfdSignalEvent(long time, String task, int cpu, String eventfd, long before, long after,
                                 int waiters) implements TraceEvent {
    @Override public String event() { return "eventfd_signal"; }

    @Override public String function() { return "eventfd_signal_mask"; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        String count = before == after
            ? "count stays 0x" + Long.toHexString(after) + " (saturated at ULLONG_MAX: poll reports EPOLLERR)"
            : "count 0x" + Long.toHexString(before) + " -> 0x" + Long.toHexString(after);
        String wake = waiters == 0 ? "no waiters to wake" : "wake_up_locked_poll(EPOLLIN) over " + waiters + " waiter(s)";
        return eventfd + ": " + count + ", " + wake;
    }
}
