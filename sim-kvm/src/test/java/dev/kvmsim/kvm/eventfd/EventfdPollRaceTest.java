package dev.kvmsim.kvm.eventfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * fs/eventfd.c eventfd_poll: poll_wait (queue the waiter) comes before the read of the count,
 * so a write at any point of a poll is either seen by the poll or wakes the waiter.
 */
class EventfdPollRaceTest {
    private final EventfdTestSupport t = new EventfdTestSupport();

    /** A poller split into its steps, with a write injected at {@code point}. */
    private static final class Poller {
        boolean woken;
        final WaitQueueEntry entry = new WaitQueueEntry((e, m, key) -> {
            if ((key & Poll.EPOLLIN) != 0) {
                woken = true;
            }
            return 1;
        });
        final PollTable pt = new PollTable((file, wqh, p) -> wqh.addWaitQueue(entry));
    }

    /**
     * Point 0: before poll_wait; 1: between poll_wait and the count read; 2: after the count
     * read, before the poller goes to sleep; 3: while it sleeps.
     */
    @ParameterizedTest(name = "write at point {0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void poll_aWriteAtAnyPointIsSeenOrWakesThePoller(int point) {
        EventfdCtx ctx = t.create(0, EventfdCtx.EFD_NONBLOCK);
        Poller p = new Poller();
        if (point == 0) {
            ctx.write(1);
        }
        ctx.pollQueue(p.pt);
        if (point == 1) {
            ctx.write(1);
        }
        int mask = ctx.pollMask();
        if (point == 2) {
            ctx.write(1);
        }
        boolean sleeps = (mask & Poll.EPOLLIN) == 0;
        if (point == 3) {
            ctx.write(1);
        }
        assertTrue(!sleeps || p.woken, "a poller that went to sleep must have been woken");
        assertEquals(point <= 1, !sleeps);
    }

    @Test
    void poll_inTheWrongOrderWouldLoseTheWakeup() {
        // The order the source comment calls INVALID: count read first, then poll_wait.
        EventfdCtx ctx = t.create(0, EventfdCtx.EFD_NONBLOCK);
        Poller p = new Poller();
        int mask = ctx.pollMask();
        ctx.write(1);
        ctx.pollQueue(p.pt);
        assertEquals(0, mask & Poll.EPOLLIN);
        assertFalse(p.woken);
    }
}
