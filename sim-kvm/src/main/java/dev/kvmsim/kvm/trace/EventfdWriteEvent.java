package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step: write(2) on an eventfd.
 *
 * @param value  the value written (unsigned)
 * @param before the counter before
 * @param after  the counter after
 * @param result {@code "ok"}, an errno name or {@code "blocked"}
 */
public record EventfdWriteEvent(long time, String task, int cpu, String eventfd, long value, long before,
                                long after, String result) implements TraceEvent {
    @Override public String event() { return "eventfd_write"; }

    @Override public String function() { return "eventfd_write"; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        String why = switch (result) {
            case "ok" -> "count 0x" + Long.toHexString(before) + " -> 0x" + Long.toHexString(after)
                + ", EPOLLIN wakeup";
            case "blocked" -> "would pass ULLONG_MAX-1 (count 0x" + Long.toHexString(before)
                + "): the writer sleeps until a read makes room";
            case "EAGAIN" -> "would pass ULLONG_MAX-1 (count 0x" + Long.toHexString(before) + ") and the fd is non-blocking";
            case "EINVAL" -> "0xffffffffffffffff cannot be written";
            default -> result;
        };
        return eventfd + ": write 0x" + Long.toHexString(value) + ": " + result + " (" + why + ")";
    }
}
