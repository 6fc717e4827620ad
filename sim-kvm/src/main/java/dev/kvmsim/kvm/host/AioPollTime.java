package dev.kvmsim.kvm.host;

/**
 * Models QEMU util/aio-posix.c adjust_polling_time (QEMU 2.9 to 9.x): an AioContext's adaptive
 * poll window. After each aio_poll that blocked for {@code block_ns} (from its start, polling
 * included, until the event was handled): a block that fit in the window keeps it; a block
 * longer than {@code poll_max_ns} shrinks it ({@code / poll_shrink}, or to 0 when poll_shrink is
 * 0); otherwise, with room below {@code poll_max_ns}, it grows ({@code * poll_grow}, 2 when 0;
 * from 0 it starts at 4000 ns), capped at {@code poll_max_ns}.
 *
 * <p>Caveats: single simulation thread.
 */
public final class AioPollTime {
    /** "start polling at 4 microseconds". */
    static final long START_NS = 4_000;

    private final long pollMaxNs;
    private final long pollGrow;
    private final long pollShrink;
    private long ns;

    public AioPollTime(long pollMaxNs, long pollGrow, long pollShrink) {
        this.pollMaxNs = pollMaxNs;
        this.pollGrow = pollGrow;
        this.pollShrink = pollShrink;
    }

    /** The window now ({@code ctx->poll.ns}); 0 at first. */
    public long ns() { return ns; }

    /** Models adjust_polling_time after an aio_poll that blocked {@code blockNs}. */
    public void adjust(long blockNs) {
        if (blockNs <= ns) {
            return; // the sweet spot
        }
        if (blockNs > pollMaxNs) {
            ns = pollShrink != 0 ? ns / pollShrink : 0;
        } else if (ns < pollMaxNs && blockNs < pollMaxNs) {
            long grow = pollGrow == 0 ? 2 : pollGrow;
            ns = ns != 0 ? ns * grow : START_NS;
            if (ns > pollMaxNs) {
                ns = pollMaxNs;
            }
        }
    }
}
