package dev.kvmsim.scenarios.model;

import dev.kvmsim.core.Distribution;

/**
 * A host thread: waits on {@code waitOn} (poll, then read), spends {@code service}, then
 * signals {@code signal} (null when none); loops until the run ends.
 */
public record ThreadSpec(String name, Kind kind, String waitOn, Distribution service, String serviceText, String signal, Loc loc) {

    /** vhost: a kernel worker that signals with eventfd_signal; iothread: userspace, signals with write(2). */
    public enum Kind { VHOST, IOTHREAD }
}
