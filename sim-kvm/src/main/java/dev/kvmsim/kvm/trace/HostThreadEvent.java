package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step of a host thread (a vhost worker or a VMM iothread): it read its eventfd, started
 * or finished servicing a request, signalled its answer eventfd, or stopped (at the end of the run).
 *
 * @param thread  the thread's name
 * @param kind    {@code vhost} or {@code iothread}
 * @param action  what it did
 * @param eventfd the eventfd involved (empty when none)
 * @param value   the value read, or the service time in ns for SERVICE_START
 */
public record HostThreadEvent(long time, String task, int cpu, String thread, String kind, Action action,
                              String eventfd, long value) implements TraceEvent {
    /** The steps of the thread's loop. */
    public enum Action { READ, SERVICE_START, SIGNAL, STOP }

    @Override public String event() { return "host_thread_" + action.name().toLowerCase(java.util.Locale.ROOT); }

    @Override public String function() {
        boolean vhost = "vhost".equals(kind);
        return switch (action) {
            case READ -> vhost ? "eventfd_ctx_do_read" : "read";
            case SIGNAL -> vhost ? "eventfd_signal" : "write";
            case SERVICE_START, STOP -> "";
        };
    }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        return switch (action) {
            case READ -> kind + " " + thread + " read " + Long.toUnsignedString(value) + " from eventfd " + eventfd;
            case SERVICE_START -> kind + " " + thread + " services the request for " + value + " ns";
            case SIGNAL -> kind + " " + thread + " signals eventfd " + eventfd
                + ("vhost".equals(kind) ? " (eventfd_signal)" : " (write(2) of 1)");
            case STOP -> kind + " " + thread + " stops and drops its file reference on eventfd " + eventfd;
        };
    }
}
