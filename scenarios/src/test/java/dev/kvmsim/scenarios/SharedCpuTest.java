package dev.kvmsim.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.scenarios.model.HaltPollSpec;
import dev.kvmsim.scenarios.model.Scenario;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host CPU model on the shared-cpu library scenario (docs/kernel-model.md "Host CPUs"). */
class SharedCpuTest {
    private static Report run(Scenario s) {
        return ScenarioRunner.run(s);
    }

    @Test
    void sharedCpu_haltPollingYieldsToTheWaitingWorker_andTheWorkerWaits() {
        Report r = run(ScenarioLibrary.load("shared-cpu").orThrow());
        assertTrue(r.passed(), () -> Summary.text(r));
        Map<String, Long> hp = r.vcpus().get(0).haltPoll();
        // kvm_vcpu_can_poll: the worker is already queued on the CPU when the vCPU halts
        assertEquals(0, hp.get("halt_successful_poll"));
        assertEquals(0, hp.get("halt_poll_fail_ns"));
        Report.CpuUse vhost = r.cpuUse().stream().filter(c -> c.task().equals("vhost-net")).findFirst().orElseThrow();
        assertEquals(10_000, vhost.delayedSwitches());
        assertTrue(vhost.runnableWaitNs() > 0);
        assertEquals(0, vhost.cpu());
    }

    @Test
    void sharedCpu_withoutHaltPolling_givesTheSameLatencies() {
        Scenario s = ScenarioLibrary.load("shared-cpu").orThrow();
        HaltPollSpec hp = s.vm().haltPoll();
        Scenario off = s.withVm(s.vm().withHaltPoll(new HaltPollSpec(0, hp.grow(), hp.growStart(), hp.shrink(), hp.maxHaltPollNs(),
                hp.guest(), hp.hostCpus())));
        assertEquals(run(s).latencies().get("notify_to_irq"), run(off).latencies().get("notify_to_irq"));
    }

    @Test
    void enoughCpus_giveTodaysResults() {
        Scenario shared = ScenarioLibrary.load("shared-cpu").orThrow();
        HaltPollSpec hp = shared.vm().haltPoll();
        Scenario two = shared.withVm(shared.vm().withHaltPoll(new HaltPollSpec(hp.haltPollNs(), hp.grow(), hp.growStart(), hp.shrink(),
                hp.maxHaltPollNs(), hp.guest(), new HaltPollSpec.HostCpus(2, java.util.List.of()))));
        Scenario none = shared.withVm(shared.vm().withHaltPoll(HaltPollSpec.defaults()));
        // two CPUs for two threads: no one waits, so the same numbers as without a CPU model
        assertEquals(run(none).latencies(), run(two).latencies());
        assertEquals(run(none).simulatedNs(), run(two).simulatedNs());
    }
}
