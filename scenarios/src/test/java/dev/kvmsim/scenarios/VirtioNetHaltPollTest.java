package dev.kvmsim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.trace.KvmHaltPollNs;
import dev.kvmsim.kvm.trace.KvmVcpuWakeup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * virtio-net-notify under the kernel's default halt polling (virt/kvm/kvm_main.c
 * kvm_vcpu_halt; x86: halt_poll_ns 200000, grow 2, grow_start 10000, shrink 2): the window
 * adapts and most wakeups are polled.
 */
class VirtioNetHaltPollTest {
    private static final List<TraceEvent> events = new ArrayList<>();
    private static Report report;

    @BeforeAll
    static void run() {
        report = ScenarioRunner.run(ScenarioLibrary.load("virtio-net-notify").orThrow(),
                RunOptions.defaults().withTrace(e -> {
                    if (e instanceof KvmHaltPollNs || e instanceof KvmVcpuWakeup) {
                        events.add(e);
                    }
                }));
    }

    private static List<String> haltPollNs() {
        return events.stream().filter(e -> e instanceof KvmHaltPollNs).map(TraceEvent::fields).toList();
    }

    @Test
    void window_growsFromZeroToGrowStartThenDoubles() {
        // The window starts at 0: the first halt blocks (about 9 us < 200 us) -> grow_start 10000.
        // One later halt outlasts its 10 us poll (the vhost worker's exp(2us) service tail) and
        // blocks, ending below 200 us -> 10000 * 2. No halt after it exceeds 20 us.
        assertEquals(List.of("vcpu 0: halt_poll_ns 10000 (grow 0)", "vcpu 0: halt_poll_ns 20000 (grow 10000)"), haltPollNs());
    }

    /** Replays every kvm_vcpu_wakeup through kvm_vcpu_halt's rules, written out here from the source. */
    @Test
    void everyWindowChange_followsTheKernelsRuleForItsHalt() {
        long window = 0;
        long max = 200_000;
        List<String> expected = new ArrayList<>();
        for (TraceEvent e : events) {
            if (!(e instanceof KvmVcpuWakeup w)) {
                continue;
            }
            long haltNs = w.ns();
            if (haltNs <= window) {
                continue; // the halt fit in the window
            }
            if (window != 0 && haltNs > max) {
                long n = window / 2 < 10_000 ? 0 : window / 2;
                expected.add("vcpu 0: halt_poll_ns " + n + " (shrink " + window + ")");
                window = n;
            } else if (window < max && haltNs < max) {
                long n = Math.max(window * 2, 10_000);
                expected.add("vcpu 0: halt_poll_ns " + n + " (grow " + window + ")");
                window = n;
            }
        }
        assertEquals(expected, haltPollNs());
    }

    @Test
    void report_showsThePolledSleptSplitAndThePollingCpuTime() {
        Map<String, Long> hp = report.vcpus().get(0).haltPoll();
        long waits = events.stream().filter(e -> e instanceof KvmVcpuWakeup w && w.waited()).count();
        long polls = events.stream().filter(e -> e instanceof KvmVcpuWakeup w && !w.waited()).count();
        assertEquals(2, waits);
        assertEquals(9_998, polls);
        assertEquals(polls, hp.get("halt_successful_poll"));
        // the first halt blocked without polling (window 0); the second blocked halt had polled
        assertEquals(polls + 1, hp.get("halt_attempted_poll"));
        assertEquals(waits, hp.get("halt_wakeup"));
        assertEquals(10_000, hp.get("halt_poll_fail_ns")); // one failed poll of the 10 us window
        assertEquals(hp.get("halt_poll_success_ns") + hp.get("halt_poll_fail_ns"), hp.get("poll_cpu_ns"));
        assertEquals(20_000, hp.get("halt_poll_ns"));
        assertEquals(0, hp.get("halt_poll_invalid"));
        // every polled halt is shorter than its window: all of it is polling time
        long polledNs = events.stream().filter(e -> e instanceof KvmVcpuWakeup w && !w.waited()).mapToLong(e -> ((KvmVcpuWakeup) e).ns()).sum();
        assertEquals(polledNs, hp.get("halt_poll_success_ns"));
        assertTrue(report.passed());
    }
}
