package dev.kvmsim.kvm.eventfd;

/**
 * A read-only view of one eventfd's counter, for a caller outside the kernel model that
 * reports on an eventfd (the scenario runner). It stays valid after the descriptor is closed,
 * as the context outlives it while ioeventfds or irqfds hold it (fs/eventfd.c eventfd_release).
 */
public interface EventfdCounters {
    /** The counter ({@code ctx->count}). */
    long count();

    /** How many in-kernel signals reached the counter (eventfd_signal_mask calls that were not lost). */
    long signals();
}
