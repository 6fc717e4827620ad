package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner's semantics (docs/scenarios.md "Host steps", "Expectations"). */
class RunnerTest {

    static Scenario load(String text) {
        LoadResult r = ScenarioLoader.load(ScenarioSource.text("t.yaml", text));
        assertTrue(r.ok(), () -> r.errors().toString());
        return r.orThrow();
    }

    static Report run(String text) {
        return ScenarioRunner.run(load(text));
    }

    @Test
    void blockedRead_completesWhenSignalled_andTheNextStepDoesNotWait() {
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e}]
                host:
                  - eventfd_read: e
                    expect: blocked
                  - eventfd_signal: e
                    at: 10us
                expect:
                  - {eventfd: e, counter: 0, signals: 1}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
        Report.StepResult read = r.steps().get(0);
        assertEquals("blocked", read.result());
        assertTrue(read.completion().endsWith(": {value: 1}"), read.completion());
        assertEquals(10_000, r.steps().get(1).atNs());
    }

    @Test
    void irqfdDeassign_holdsBackTheNextStepUntilItsFlushReturned() {
        // virt/kvm/eventfd.c kvm_irqfd_deassign: flush_workqueue(irqfd_cleanup_wq) before the
        // ioctl returns, so irqfd_shutdown has removed the wait entry and the same VMM thread's
        // next KVM_IRQFD on that eventfd is not EBUSY (add_wait_queue_priority_exclusive).
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e}]
                host:
                  - irqfd: {eventfd: e, gsi: 24}
                    expect: ok
                  - irqfd: {eventfd: e, gsi: 24, deassign: true}
                    expect: ok
                  - irqfd: {eventfd: e, gsi: 25}
                    expect: ok
                  - irqfd: {eventfd: e, gsi: 26}
                    expect: EBUSY
                  - irqfd: {eventfd: e, gsi: 26, flags: 0x4}
                    expect: EINVAL
                  - irqfd: {eventfd: e, gsi: 27}
                    expect: EBUSY
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    @Test
    void checkStep_readsTheCounterWithoutConsumingIt() {
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e, initial: 2}]
                host:
                  - check: [{eventfd: e, counter: 2}]
                  - check: [{eventfd: e, counter: 2}]
                  - eventfd_read: e
                    expect: {value: 2}
                  - check: [{eventfd: e, counter: 0}]
                expect:
                  - {eventfd: e, counter: 0, signals: 0}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
        assertEquals(5, r.expectations().size());
        assertTrue(r.expectations().get(0).description().startsWith("host[0] check at 0ns (line 5)"), r.expectations().get(0).description());
    }

    @Test
    void semaphoreAndNonblock_flagsReachEventfd2() {
        // docs/kernel-model.md#eventfd: a semaphore read returns 1; a nonblocking read of 0 gives EAGAIN.
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e, initial: 3, flags: [semaphore, nonblock]}]
                host:
                  - eventfd_read: e
                    expect: {value: 1}
                  - eventfd_read: e
                  - eventfd_read: e
                  - eventfd_read: e
                    expect: EAGAIN
                expect:
                  - {eventfd: e, counter: 0}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    @Test
    void wrongStepExpectation_isAFailureWithIndexAndLine() {
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e}]
                host:
                  - eventfd_write: {eventfd: e, value: 0xffffffffffffffff}
                    expect: ok
                """);
        assertFalse(r.passed());
        Report.StepResult s = r.failedSteps().get(0);
        assertEquals(0, s.index());
        assertEquals(5, s.line());
        assertEquals("EINVAL", s.result());
        assertEquals("ok", s.expected());
    }

    @Test
    void failingStepWithoutExpect_isANote_notAFailure() {
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e}]
                host:
                  - eventfd_write: {eventfd: '@badfd', value: 1}
                """);
        assertTrue(r.passed());
        assertEquals("EBADF", r.unexpectedStepErrors().get(0).result());
        assertTrue(Summary.text(r).contains("note host[0] (line 5) eventfd_write failed: EBADF"), Summary.text(r));
    }

    @Test
    void specialDescriptors_giveTheKernelsErrnos() {
        Report r = run("""
                version: 1
                name: t
                host:
                  - eventfd_read: '@badfd'
                    expect: EBADF
                  - eventfd_signal: '@notevent'
                    expect: EINVAL
                  - ioeventfd: {eventfd: '@notevent', bus: pio, addr: 0x510, len: 2}
                    expect: EINVAL
                  - irqfd: {eventfd: '@badfd', gsi: 5}
                    expect: EBADF
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    @Test
    void closedEventfd_isEbadfForLaterSteps_butKvmKeepsItAlive() {
        // docs/kernel-model.md#eventfd close(2): ioeventfd holds a ctx reference, so guest writes still signal it.
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: kick}]
                host:
                  - ioeventfd: {eventfd: kick, bus: pio, addr: 0x510, len: 2}
                    expect: ok
                  - close: kick
                    expect: ok
                  - close: kick
                    expect: EBADF
                  - eventfd_write: {eventfd: kick, value: 1}
                    expect: EBADF
                guest:
                  - vcpu: 0
                    program:
                      - repeat: 3
                        do:
                          - pio_write: {port: 0x510, len: 2, value: 1}
                            expect: kernel
                expect:
                  - {eventfd: kick, counter: 3, signals: 3}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    @Test
    void repeatedIoeventfd_reportsTheFirstFailureWithItsIndex() {
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: k}]
                host:
                  - ioeventfd: {eventfd: k, bus: mmio, addr: 0x1008, len: 4}
                    expect: ok
                  - ioeventfd: {eventfd: k, bus: mmio, addr: 0x1000, len: 4, count: 5}
                    expect: {errno: EEXIST, after: 2}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    @Test
    void stepsAtOneTime_runBeforeGuestActivityAtThatTime() {
        // The ioeventfd is assigned at 0, in the same instant as the vCPU's first write: the step
        // goes first, so the write is absorbed in the kernel.
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: k}]
                host:
                  - ioeventfd: {eventfd: k, bus: pio, addr: 0x600, len: 1}
                guest:
                  - vcpu: 0
                    program:
                      - pio_write: {port: 0x600, len: 1, value: 1}
                        expect: kernel
                expect:
                  - {eventfd: k, signals: 1}
                  - userspace_exits: {count: 0}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    @Test
    void until_stopsTheRunAndOverridesApply() {
        Scenario s = load("""
                version: 1
                name: t
                until: 5ms
                eventfds: [{name: e}]
                host:
                  - {eventfd_signal: e, at: 1ms}
                  - {eventfd_signal: e, at: 10ms}
                expect:
                  - {eventfd: e, signals: 1}
                """);
        Report r = ScenarioRunner.run(s);
        assertTrue(r.passed(), () -> Summary.text(r));
        assertEquals(5_000_000, r.simulatedNs());
        assertEquals("not run", r.steps().get(1).result());
        Report all = ScenarioRunner.run(s, RunOptions.defaults().withUntil(20_000_000));
        assertFalse(all.passed());
        assertEquals(7, ScenarioRunner.run(s, RunOptions.defaults().withSeed(7)).seed());
    }

    @Test
    void noUntil_endsWhenNothingIsPending_evenWithIdleVcpus() {
        Report r = run("""
                version: 1
                name: t
                vm: {vcpus: 4}
                expect:
                  - exits: {count: ">= 0"}
                """);
        assertTrue(r.passed());
        assertTrue(r.simulatedNs() < 1_000_000_000L, "idle vCPUs halt; the run ends");
    }

    @Test
    void jsonReport_hasTheStableKeysInOrder() {
        String json = ReportWriter.json(run("""
                version: 1
                name: t
                eventfds: [{name: e}]
                host: [{eventfd_signal: e}]
                expect: [{eventfd: e, signals: 1}]
                """));
        List<String> keys = List.of("\"scenario\"", "\"seed\"", "\"simulated_ns\"", "\"events\"", "\"steps\"", "\"eventfds\"",
                "\"vcpus\"", "\"userspace_exits\"", "\"latencies\"", "\"expectations\"");
        int at = -1;
        for (String k : keys) {
            int i = json.indexOf(k);
            assertTrue(i > at, k + " in order in " + json);
            at = i;
        }
    }

    @Test
    void tracing_doesNotChangeTheRun_andTheSinkStaysOpenForItsOwner() {
        Scenario s = ScenarioLibrary.load("virtio-net-notify").orThrow();
        java.util.List<dev.kvmsim.core.trace.TraceEvent> events = new java.util.ArrayList<>();
        boolean[] closed = {false};
        dev.kvmsim.core.trace.TraceSink sink = new dev.kvmsim.core.trace.TraceSink() {
            @Override public void accept(dev.kvmsim.core.trace.TraceEvent e) { events.add(e); }
            @Override public void close() { closed[0] = true; }
        };
        String traced = ReportWriter.json(ScenarioRunner.run(s, RunOptions.defaults().withTrace(sink)));
        assertEquals(ReportWriter.json(ScenarioRunner.run(s)), traced);
        assertTrue(events.size() > 10_000, "events traced: " + events.size());
        assertFalse(closed[0], "the caller that made the sink closes it");
    }

    @Test
    void blockedWrite_completesWhenAReaderMakesRoom() {
        // docs/kernel-model.md#eventfd write(2): ULLONG_MAX - count > value, else (blocking) sleep until it holds.
        Report r = run("""
                version: 1
                name: t
                eventfds: [{name: e}]
                host:
                  - eventfd_write: {eventfd: e, value: 0xfffffffffffffffe}
                    expect: ok
                  - eventfd_write: {eventfd: e, value: 1}
                    expect: blocked
                  - eventfd_read: e
                    at: 1us
                    expect: {value: 18446744073709551614}
                expect:
                  - {eventfd: e, counter: 1, signals: 2}
                """);
        assertTrue(r.passed(), () -> Summary.text(r));
        assertTrue(r.steps().get(1).completion().endsWith(": ok"), r.steps().get(1).completion());
    }

    @Test
    void guestState_reachesTheLapic() {
        // docs/scenarios.md vm.guest_state; docs/kernel-model.md#lapic __apic_accept_irq: a Fixed interrupt to an APIC
        // that is not software-enabled (KVM's reset state) is dropped.
        String text = """
                version: 1
                name: t
                vm: {guest_state: %s}
                host:
                  - signal_msi: {address: 0xfee00000, data: 0x30}
                expect:
                  - {vcpu: 0, vector: 0x30, delivered: 1}
                """;
        assertTrue(run(String.format(text, "booted")).passed());
        Report reset = run(String.format(text, "reset"));
        assertFalse(reset.passed());
        assertEquals("0", reset.failures().get(0).actual());
    }

    @Test
    void checkBeyondUntil_isReportedAsNotReached() {
        Report r = run("""
                version: 1
                name: t
                until: 1ms
                eventfds: [{name: e}]
                host:
                  - check: [{eventfd: e, counter: 0}]
                    at: 2ms
                """);
        assertFalse(r.passed());
        assertEquals("not reached: the run ended at 1ms", r.failures().get(0).actual());
    }

    @Test
    void seedAbove2To63_isWrittenUnsigned() {
        Report r = ScenarioRunner.run(load("version: 1\nname: t\nseed: 0xffffffffffffffff\n"));
        assertTrue(ReportWriter.json(r).contains("\"seed\" : 18446744073709551615,"), ReportWriter.json(r));
    }

    /**
     * An interrupt taken before a wait_irq starts (the doorbell exit's re-entry injected it)
     * satisfies that wait, as a driver that checks its completion before halting would: the
     * round trips do not stall whatever the costs draw.
     */
    @Test
    void waitIrq_claimsAnInterruptTakenBeforeIt() {
        String yaml = """
                version: 1
                name: early-irq
                vm:
                  costs: {vhost.wakeup: exp(5us), vcpu.halt_wakeup: 20us}
                eventfds:
                  - name: kick
                  - name: call
                host:
                  - ioeventfd: {eventfd: kick, bus: mmio, addr: 0xfe003000, len: 4}
                  - gsi_routing:
                      - {gsi: 24, msi: {address: 0xfee00000, data: 0x22}}
                  - irqfd: {eventfd: call, gsi: 24}
                threads:
                  - {name: vhost-net, kind: vhost, wait: kick, service: exp(2us), signal: call}
                guest:
                  - vcpu: 0
                    program:
                      - repeat: 2000
                        do:
                          - mmio_write: {addr: 0xfe003000, len: 4, value: 1}
                          - wait_irq: {vector: 0x22}
                expect:
                  - {vcpu: 0, vector: 0x22, delivered: 2000}
                  - exits: {vcpu: 0, reason: EPT_MISCONFIG, count: 2000}
                """;
        Report r = run(yaml);
        assertTrue(r.passed(), () -> Summary.text(r));
        long halts = r.vcpus().get(0).exits().getOrDefault("HLT", 0L);
        assertTrue(halts < 2000, "some waits were satisfied without halting: " + halts + " HLT exits");
    }
}
