package dev.kvmsim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A run always ends (docs/cli.md, "Limits"): numbers at the edges of 64 bits, zero-time loops,
 * event budgets and the end of representable time stop a run with a reason in its report, and
 * what was measured up to then is kept.
 */
class RunLimitsTest {

    private static Report run(String text) {
        return ScenarioRunner.run(RunnerTest.load(text));
    }

    @Test
    void repeatOf2To63_runsAsAnUnsignedCount_boundedByUntil() {
        Report r = run("""
                version: 1
                name: t
                until: 10us
                guest:
                  - vcpu: 0
                    program:
                      - repeat: 9223372036854775808
                        do:
                          - compute: 1us
                """);
        assertNull(r.stopped(), r.stopped());
        assertEquals(10_000, r.simulatedNs());
    }

    @Test
    void guestLoopThatTakesNoTime_isStoppedAsAZeroTimeLoop_withTheReportKept() {
        Report r = run("""
                version: 1
                name: t
                until: 1ms
                eventfds: [{name: e}]
                host:
                  - eventfd_write: {eventfd: e, value: 3}
                guest:
                  - vcpu: 0
                    program:
                      - repeat: 18446744073709551615
                        do:
                          - cli
                          - sti
                expect:
                  - {eventfd: e, counter: 3}
                """);
        assertTrue(r.stopped().startsWith("zero-time loop: vCPU 0 ran more than 10000000 guest actions at 0ns"), r.stopped());
        assertFalse(r.passed());
        assertEquals(1, r.expectations().size());
        assertTrue(r.expectations().get(0).passed());
        assertTrue(ReportWriter.json(r).contains("\"stopped\" : \"zero-time loop"), ReportWriter.json(r));
        assertTrue(Summary.text(r).contains("STOPPED: zero-time loop"), Summary.text(r));
    }

    @Test
    void eventfdSignalWithNAtOrAbove2To63_addsAsUnsignedCalls_saturatingAtUllongMax() {
        // fs/eventfd.c eventfd_signal_mask: each call adds 1 while count < ULLONG_MAX
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: a}, {name: b}]
                host:
                  - eventfd_signal: {eventfd: a, n: 9223372036854775808}
                  - eventfd_signal: {eventfd: b, n: 18446744073709551615}
                  - eventfd_signal: {eventfd: b, n: 5}
                """);
        assertNull(r.stopped(), r.stopped());
        assertEquals(Long.MIN_VALUE, r.eventfds().get("a").counter()); // 2^63
        assertEquals(Long.MIN_VALUE, r.eventfds().get("a").signals());
        assertEquals(-1L, r.eventfds().get("b").counter()); // ULLONG_MAX
        assertEquals(-1L, r.eventfds().get("b").signals());
        assertTrue(Summary.text(r).contains("eventfd a: counter 9223372036854775808, signals 9223372036854775808"), Summary.text(r));
    }

    @Test
    void eventfdSignalWithAHugeCountAndAWaiter_isStoppedAsAZeroTimeLoop() {
        // each call wakes the irqfd (virt/kvm/eventfd.c irqfd_wakeup): not collapsible
        Report r = run("""
                version: 1
                name: t
                until: 1ms
                eventfds: [{name: a}]
                host:
                  - irqfd: {eventfd: a, gsi: 24}
                  - eventfd_signal: {eventfd: a, n: 18446744073709551615}
                """);
        assertTrue(r.stopped() != null && r.stopped().startsWith("zero-time loop: eventfd_signal on a made more than"), r.stopped());
    }

    @Test
    void eventThatWouldPassTheEndOfTime_stopsTheRunWithAMessage() {
        Report r = run("""
                version: 1
                name: t
                guest:
                  - vcpu: 0
                    program:
                      - compute: 1us
                      - compute: 9223372036854775807ns
                """);
        assertTrue(r.stopped() != null && r.stopped().contains("would pass the end of representable simulated time"), r.stopped());
        assertEquals(1_000, r.simulatedNs());
    }

    @Test
    void waitIrqTimeoutPastTheEndOfTime_isNoTimeout() {
        Report r = run("""
                version: 1
                name: t
                until: 5us
                guest:
                  - vcpu: 0
                    program:
                      - compute: 1us
                      - wait_irq: {timeout: 9223372036854775807ns}
                """);
        assertNull(r.stopped(), r.stopped());
        assertEquals(5_000, r.simulatedNs());
    }

    @Test
    void eventBudget_stopsAnEndlessRunWithWorkPending() {
        Report r = ScenarioRunner.run(RunnerTest.load("""
                version: 1
                name: t
                guest:
                  - vcpu: 0
                    program:
                      - repeat: 18446744073709551615
                        do:
                          - compute: 1us
                """), RunOptions.defaults().withMaxEvents(1000));
        assertEquals(1000, r.events());
        assertTrue(r.stopped().startsWith("event budget: stopped after 1000 events"), r.stopped());
    }

    @Test
    void defaultOptions_carryTheDocumentedEventBudget() {
        assertEquals(100_000_000L, RunOptions.defaults().maxEvents());
    }
}
