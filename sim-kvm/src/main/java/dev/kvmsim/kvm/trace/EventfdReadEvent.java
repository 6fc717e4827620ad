package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step: the counter was read: read(2), or a kernel user's eventfd_ctx_do_read /
 * eventfd_ctx_remove_wait_queue.
 *
 * @param function the kernel function ({@code eventfd_read}, {@code eventfd_ctx_do_read}, ...)
 * @param value    what was read (unsigned)
 * @param before   the counter before
 * @param after    the counter after
 * @param result   {@code "ok"}, an errno name or {@code "blocked"}
 */
public record EventfdReadEvent(long time, String task, int cpu, String eventfd, String function, long value,
                               long before, long after, String result) implements TraceEvent {
    @Override public String event() { return "eventfd_read"; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        String why = switch (result) {
            case "ok" -> "read 0x" + Long.toHexString(value) + ", count 0x" + Long.toHexString(before)
                + " -> 0x" + Long.toHexString(after);
            case "blocked" -> "count is 0: the reader sleeps until a write or signal";
            case "EAGAIN" -> "count is 0 and the fd is non-blocking";
            default -> result;
        };
        return eventfd + ": " + function + ": " + result + " (" + why + ")";
    }
}
