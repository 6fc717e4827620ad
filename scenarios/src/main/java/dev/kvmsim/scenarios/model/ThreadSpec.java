package dev.kvmsim.scenarios.model;

import dev.kvmsim.core.Distribution;

/**
 * A host thread: waits on {@code waitOn} (poll, then read), spends {@code service}, then
 * signals {@code signal} (null when none); loops until the run ends.
 *
 * @param polling  how it polls before it sleeps (docs/scenarios.md "Threads"): vhost
 *                 {@code busyloop_timeout}; iothread {@code poll_max_ns}, {@code poll_grow}, {@code poll_shrink}
 */
public record ThreadSpec(String name, Kind kind, String waitOn, Distribution service, String serviceText, String signal, Loc loc,
                         Polling polling) {

    public ThreadSpec {
        if (polling == null) {
            polling = Polling.defaults(kind);
        }
    }

    /** A thread with its kind's default polling. */
    public ThreadSpec(String name, Kind kind, String waitOn, Distribution service, String serviceText, String signal, Loc loc) {
        this(name, kind, waitOn, service, serviceText, signal, loc, null);
    }

    /**
     * Polling knobs: {@code busyloopNs} (vhost-net busyloop_timeout; default 0) or
     * {@code pollMaxNs}, {@code pollGrow}, {@code pollShrink} (a QEMU iothread; defaults 32768, 0, 0);
     * {@code cpuMask}: {@code threads[].cpus} with {@code vm.host_cpus} (0: every CPU).
     */
    public record Polling(long busyloopNs, long pollMaxNs, long pollGrow, long pollShrink, long cpuMask) {
        public static Polling defaults(Kind kind) {
            return kind == Kind.VHOST ? new Polling(0, 0, 0, 0, 0) : new Polling(0, 32_768, 0, 0, 0);
        }
    }

    /** vhost: a kernel worker that signals with eventfd_signal; iothread: userspace, signals with write(2). */
    public enum Kind { VHOST, IOTHREAD }
}
