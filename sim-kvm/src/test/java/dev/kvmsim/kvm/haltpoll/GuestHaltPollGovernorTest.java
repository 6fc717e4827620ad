package dev.kvmsim.kvm.haltpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guest's haltpoll governor (drivers/cpuidle/governors/haltpoll.c, Linux 6.17:
 * haltpoll_select, haltpoll_reflect, adjust_poll_limit; defaults guest_halt_poll_ns 200000,
 * grow 2, grow_start 50000, shrink 2, allow_shrink). Expected values worked out by hand.
 */
class GuestHaltPollGovernorTest {
    private final List<String> trace = new ArrayList<>();

    private GuestHaltPollGovernor governor(GuestHaltPollParams p) {
        return new GuestHaltPollGovernor(p, (grow, n, o) -> trace.add("halt_poll_ns " + n + " (" + (grow ? "grow" : "shrink") + " " + o + ")"));
    }

    @Test
    void selectAndAdjust_followTheGovernorsRules() {
        GuestHaltPollGovernor g = governor(GuestHaltPollParams.kernelDefaults());
        assertEquals(GuestHaltPollGovernor.HALT, g.select()); // poll_limit_ns 0: halt
        g.halted(100_000); // 0 < 100000 <= 200000: 0*2 -> grow_start 50000
        assertEquals(50_000, g.pollLimitNs());
        assertEquals(GuestHaltPollGovernor.POLL, g.select()); // last state halt: poll
        g.polled(10_000, false); // an event ended the poll
        assertEquals(GuestHaltPollGovernor.POLL, g.select()); // last poll without time limit: poll again
        g.polled(50_000, true); // the limit ran out
        assertEquals(GuestHaltPollGovernor.HALT, g.select()); // halt if no event in the window
        g.halted(150_000); // 50000 < 150000 <= 200000: 100000
        g.halted(100_000); // not > the limit: unchanged
        g.halted(300_000); // > 200000: 100000/2 = 50000 (not below grow_start)
        g.halted(300_000); // 25000 < grow_start: 0
        assertEquals(0, g.pollLimitNs());
        assertEquals(List.of("halt_poll_ns 50000 (grow 0)", "halt_poll_ns 100000 (grow 50000)",
                "halt_poll_ns 50000 (shrink 100000)", "halt_poll_ns 0 (shrink 50000)"), trace);
        assertEquals(2, g.polls());
        assertEquals(1, g.pollsTimedOut());
        assertEquals(60_000, g.pollNs());
        assertEquals(5, g.halts());
    }

    @Test
    void grow_isCappedAtGuestHaltPollNs() {
        GuestHaltPollGovernor g = governor(GuestHaltPollParams.kernelDefaults());
        g.halted(60_000); // 50000
        g.halted(60_000); // 100000
        g.halted(150_000); // 200000
        g.halted(200_000); // == ceiling, > limit? no (200000 is not > 200000): unchanged
        assertEquals(200_000, g.pollLimitNs());
        GuestHaltPollGovernor h = governor(new GuestHaltPollParams(200_000, 3, 50_000, 2, true));
        h.halted(60_000); // 50000
        h.halted(60_000); // 150000
        h.halted(190_000); // 450000 -> capped at 200000
        assertEquals(200_000, h.pollLimitNs());
    }

    @Test
    void shrink_disallowedOrZero() {
        GuestHaltPollGovernor g = governor(new GuestHaltPollParams(200_000, 2, 50_000, 2, false));
        g.halted(60_000);
        g.halted(1_000_000); // allow_shrink false: kept
        assertEquals(50_000, g.pollLimitNs());
        GuestHaltPollGovernor z = governor(new GuestHaltPollParams(200_000, 2, 50_000, 0, true));
        z.halted(60_000);
        z.halted(70_000); // 100000
        z.halted(1_000_000); // shrink 0: 0
        assertEquals(0, z.pollLimitNs());
    }
}
