package dev.kvmsim.kvm.host;

/**
 * How a host thread polls its eventfd before it sleeps.
 * <ul>
 * <li>{@link Mode#NONE}: it sleeps at once (vhost's default: busyloop_timeout 0).</li>
 * <li>{@link Mode#BUSYLOOP}: vhost-net busy polling (drivers/vhost/net.c vhost_net_busy_poll,
 * VHOST_SET_VRING_BUSYLOOP_TIMEOUT): a fixed window, {@code busyloopNs}.</li>
 * <li>{@link Mode#ADAPTIVE}: a QEMU iothread's adaptive polling (util/aio-posix.c aio_poll and
 * adjust_polling_time; IOThread properties {@code poll-max-ns}, {@code poll-grow},
 * {@code poll-shrink}): see {@link AioPollTime}.</li>
 * </ul>
 */
public record ThreadPolling(Mode mode, long busyloopNs, long pollMaxNs, long pollGrow, long pollShrink) {
    /** QEMU iothread.c IOTHREAD_POLL_MAX_NS_DEFAULT: 32768 ns. */
    public static final long IOTHREAD_POLL_MAX_NS_DEFAULT = 32_768;

    /** The polling modes. */
    public enum Mode { NONE, BUSYLOOP, ADAPTIVE }

    public ThreadPolling {
        if (busyloopNs < 0 || pollMaxNs < 0 || pollGrow < 0 || pollShrink < 0) {
            throw new IllegalArgumentException("polling parameters are not negative");
        }
    }

    public static ThreadPolling none() {
        return new ThreadPolling(Mode.NONE, 0, 0, 0, 0);
    }

    /** vhost-net busy polling for {@code ns} (0: none). */
    public static ThreadPolling busyloop(long ns) {
        return ns == 0 ? none() : new ThreadPolling(Mode.BUSYLOOP, ns, 0, 0, 0);
    }

    /** A QEMU AioContext's adaptive polling (poll-max-ns 0: none; grow/shrink 0: QEMU's default 2 / reset to 0). */
    public static ThreadPolling adaptive(long pollMaxNs, long grow, long shrink) {
        return pollMaxNs == 0 ? none() : new ThreadPolling(Mode.ADAPTIVE, 0, pollMaxNs, grow, shrink);
    }
}
