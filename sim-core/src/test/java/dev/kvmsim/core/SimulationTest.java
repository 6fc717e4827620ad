package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulationTest {
    private final Simulation sim = new Simulation(1);
    private final List<String> log = new ArrayList<>();

    private Runnable note(String what) {
        return () -> log.add(what + "@" + sim.now());
    }

    @Test
    void shouldRunEventsInTimeOrder() {
        sim.schedule(30, note("c"));
        sim.schedule(10, note("a"));
        sim.schedule(20, note("b"));
        sim.run();
        assertEquals(List.of("a@10", "b@20", "c@30"), log);
        assertEquals(30, sim.now());
        assertEquals(3, sim.eventsRun());
    }

    @Test
    void shouldRunEqualTimesInInsertionOrder() {
        for (int i = 0; i < 10; i++) {
            sim.scheduleAt(5, note("e" + i));
        }
        sim.run();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("e" + i + "@5");
        }
        assertEquals(expected, log);
    }

    @Test
    void shouldRunAZeroDelayEventAfterEveryEventAlreadyDueNow() {
        sim.scheduleAt(5, () -> {
            log.add("first@" + sim.now());
            sim.schedule(0, note("child"));
        });
        sim.scheduleAt(5, note("second"));
        sim.run();
        assertEquals(List.of("first@5", "second@5", "child@5"), log);
    }

    @Test
    void cancel_beforeItRuns_preventsIt() {
        long h = sim.schedule(10, note("x"));
        sim.schedule(20, note("y"));
        assertTrue(sim.cancel(h));
        assertEquals(1, sim.pending());
        sim.run();
        assertEquals(List.of("y@20"), log);
    }

    @Test
    void cancel_afterItRan_returnsFalse() {
        long h = sim.schedule(10, note("x"));
        sim.run();
        assertFalse(sim.cancel(h));
    }

    @Test
    void cancel_twice_returnsFalseTheSecondTime() {
        long h = sim.schedule(10, note("x"));
        assertTrue(sim.cancel(h));
        assertFalse(sim.cancel(h));
    }

    @Test
    void cancel_staleHandle_doesNotCancelTheEventReusingItsSlot() {
        long old = sim.schedule(10, note("old"));
        assertTrue(sim.cancel(old));
        sim.run(); // drops the dead entry, freeing its slot
        long fresh = sim.schedule(10, note("fresh"));
        assertEquals((int) old, (int) fresh, "the slot is reused");
        assertFalse(sim.cancel(old));
        sim.run();
        assertEquals(List.of("fresh@10"), log);
    }

    @Test
    void cancel_unknownHandles_returnFalse() {
        assertFalse(sim.cancel(0));
        assertFalse(sim.cancel(-1));
        assertFalse(sim.cancel(12345));
        sim.schedule(1, note("x"));
        long h = sim.schedule(1, note("x"));
        assertFalse(sim.cancel(h + (2L << 32))); // right slot, a later generation
        assertFalse(sim.cancel(h - (1L << 32))); // right slot, an even (dead) generation
        assertTrue(sim.cancel(h));
    }

    @Test
    void cancel_fromInsideAnEvent_ofALaterEvent() {
        long[] later = new long[1];
        sim.schedule(10, () -> assertTrue(sim.cancel(later[0])));
        later[0] = sim.schedule(20, note("later"));
        sim.schedule(30, note("last"));
        sim.run();
        assertEquals(List.of("last@30"), log);
    }

    @Test
    void cancel_ofTheRunningEvent_returnsFalse() {
        long[] self = new long[1];
        self[0] = sim.schedule(10, () -> log.add("cancel self " + sim.cancel(self[0])));
        sim.run();
        assertEquals(List.of("cancel self false"), log);
    }

    @Test
    void cancel_many_keepsOrderOfTheRest() {
        List<Long> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int k = i;
            handles.add(sim.scheduleAt(1000 - i, () -> log.add(String.valueOf(k))));
        }
        for (int i = 0; i < 1000; i++) {
            if (i % 10 != 0) {
                assertTrue(sim.cancel(handles.get(i)));
            }
        }
        assertEquals(100, sim.pending());
        sim.run();
        List<String> expected = new ArrayList<>();
        for (int i = 990; i >= 0; i -= 10) {
            expected.add(String.valueOf(i));
        }
        assertEquals(expected, log);
    }

    @Test
    void runUntil_runsEventsExactlyAtTheLimitAndStopsTheClockThere() {
        sim.scheduleAt(10, note("a"));
        sim.scheduleAt(20, () -> {
            log.add("b@" + sim.now());
            sim.schedule(0, note("b-child")); // also at the limit: runs
        });
        sim.scheduleAt(21, note("c"));
        sim.runUntil(20);
        assertEquals(List.of("a@10", "b@20", "b-child@20"), log);
        assertEquals(20, sim.now());
        assertEquals(1, sim.pending());
        assertEquals(21, sim.nextEventTime());
    }

    @Test
    void runUntil_withNothingDue_advancesTheClockToTheLimit() {
        sim.scheduleAt(100, note("late"));
        sim.runUntil(50);
        assertEquals(50, sim.now());
        assertTrue(log.isEmpty());
        sim.schedule(10, note("rel")); // relative to the new clock
        sim.runUntil(60);
        assertEquals(List.of("rel@60"), log);
    }

    @Test
    void runUntil_beforeNow_leavesTheClock() {
        sim.runUntil(100);
        sim.runUntil(40);
        assertEquals(100, sim.now());
    }

    @Test
    void runUntil_maxValue_onEmptyQueue_terminates() {
        sim.scheduleAt(5, note("a"));
        sim.runUntil(Long.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, sim.now());
        assertEquals(List.of("a@5"), log);
    }

    @Test
    void step_runsOneEventAtATime() {
        sim.schedule(1, note("a"));
        sim.schedule(2, note("b"));
        assertTrue(sim.step());
        assertEquals(List.of("a@1"), log);
        assertTrue(sim.step());
        assertFalse(sim.step());
        assertEquals(2, sim.now());
    }

    @Test
    void schedule_negativeDelay_isAnErrorNamingTheDelay() {
        sim.runUntil(100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.schedule(-5, note("x")));
        assertEquals("cannot schedule in the past: delay -5 ns is negative (now 100 ns)", e.getMessage());
    }

    @Test
    void scheduleAt_beforeNow_isAnErrorNamingBothTimes() {
        sim.runUntil(100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sim.scheduleAt(99, note("x")));
        assertEquals("cannot schedule in the past: time 99 ns is before now 100 ns", e.getMessage());
        sim.scheduleAt(100, note("now")); // exactly now is fine
        sim.run();
        assertEquals(List.of("now@100"), log);
    }

    @Test
    void schedule_pastTheEndOfTime_isARunLimitNamingTheEnd() {
        sim.runUntil(100);
        RunLimitExceeded e = assertThrows(RunLimitExceeded.class, () -> sim.schedule(Long.MAX_VALUE, note("x")));
        assertEquals(RunLimitExceeded.Kind.END_OF_TIME, e.kind());
        assertTrue(e.getMessage().contains("end of representable simulated time"), e.getMessage());
        assertEquals(0, sim.pending());
    }

    @Test
    void schedule_exactlyAtTheEndOfTime_isAccepted() {
        sim.runUntil(100);
        sim.schedule(Long.MAX_VALUE - 100, note("last"));
        sim.run();
        assertEquals(Long.MAX_VALUE, sim.now());
    }

    @Test
    void zeroTimeLoop_isStoppedAboveTheThreshold() {
        sim.setZeroTimeLimit(1000);
        Runnable[] self = new Runnable[1];
        self[0] = () -> sim.schedule(0, self[0]);
        sim.schedule(5, self[0]);
        RunLimitExceeded e = assertThrows(RunLimitExceeded.class, sim::run);
        assertEquals(RunLimitExceeded.Kind.ZERO_TIME_LOOP, e.kind());
        assertEquals(1000, sim.eventsRun());
        assertEquals(5, sim.now());
        assertEquals("zero-time loop: more than 1000 events at 5ns without the clock moving", e.getMessage());
    }

    @Test
    void zeroTimeLimit_countsOnlyEventsAtOneInstant() {
        sim.setZeroTimeLimit(3);
        for (int t = 0; t < 10; t++) {
            for (int k = 0; k < 3; k++) {
                sim.scheduleAt(t, note("e"));
            }
        }
        sim.run();
        assertEquals(30, sim.eventsRun());
    }

    @Test
    void runBounded_stopsOnTheBudgetWithWorkPending() {
        Runnable[] self = new Runnable[1];
        self[0] = () -> sim.schedule(1, self[0]);
        sim.schedule(0, self[0]);
        assertTrue(sim.runBounded(-1, 50));
        assertEquals(50, sim.eventsRun());
        assertEquals(49, sim.now());
        assertFalse(sim.runBounded(60, 0));
        assertEquals(60, sim.now());
    }

    @Test
    void runBounded_endsWhenNothingIsLeft() {
        sim.schedule(3, note("a"));
        assertFalse(sim.runBounded(-1, 1));
        assertEquals(List.of("a@3"), log);
    }

    @Test
    void schedule_nullAction_isRejected() {
        assertThrows(NullPointerException.class, () -> sim.schedule(1, null));
        assertEquals(0, sim.pending());
    }

    @Test
    void run_fromInsideAnEvent_isAnError() {
        sim.schedule(1, () -> sim.run());
        IllegalStateException e = assertThrows(IllegalStateException.class, sim::run);
        assertTrue(e.getMessage().startsWith("run() called from inside an event"), e.getMessage());
        // the engine is usable afterwards
        sim.schedule(1, note("after"));
        sim.run();
        assertEquals(List.of("after@2"), log);
    }

    @Test
    void shouldBeDeterministicForOneSeed() {
        assertEquals(randomRun(7), randomRun(7));
        assertFalse(randomRun(7).equals(randomRun(8)));
    }

    /** A small model: three components with their own streams schedule each other and cancel. */
    private static List<String> randomRun(long seed) {
        Simulation s = new Simulation(seed);
        List<String> out = new ArrayList<>();
        String[] names = {"disk", "net", "timer"};
        long[] pendingTimer = {-1};
        for (String name : names) {
            SplittableRandom r = s.random(name);
            Runnable[] self = new Runnable[1];
            self[0] = () -> {
                out.add(s.now() + " " + name);
                if (name.equals("net") && pendingTimer[0] >= 0 && r.nextInt(3) == 0) {
                    out.add("cancel " + s.cancel(pendingTimer[0]));
                }
                long h = s.schedule(r.nextLong(1, 1000), self[0]);
                if (name.equals("timer")) {
                    pendingTimer[0] = h;
                }
                for (int k = r.nextInt(3); k > 0; k--) {
                    s.schedule(r.nextLong(0, 50), () -> out.add(s.now() + " " + name + "-child"));
                }
            };
            s.schedule(0, self[0]);
        }
        s.runUntil(100_000);
        return out;
    }
}
