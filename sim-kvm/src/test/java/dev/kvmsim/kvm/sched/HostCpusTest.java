package dev.kvmsim.kvm.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.kernel.TaskKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host CPU model's policy (docs/kernel-model.md "Host CPUs"): placement, run queues, blocking, need_resched. */
class HostCpusTest {
    private final Simulation sim = new Simulation(1);
    private final Kernel k = new Kernel(sim, CostModel.defaults());
    private final List<String> trace = new ArrayList<>();
    private final List<String> granted = new ArrayList<>();

    HostCpusTest() {
        sim.setTraceSink((TraceEvent e) -> trace.add(e.event() + ": " + e.fields()));
    }

    private CpuThread thread(HostCpus cpus, String name, long mask) {
        return cpus.register(k.newTask(TaskKind.VHOST, name, 0), mask, () -> granted.add(name + "@" + sim.now()));
    }

    @Test
    void wakingOntoABusyCpu_waitsInItsQueueUntilTheRunningThreadBlocks() {
        HostCpus cpus = new HostCpus(sim, 1);
        CpuThread a = thread(cpus, "a", 1);
        CpuThread b = thread(cpus, "b", 1);
        List<Boolean> needResched = new ArrayList<>();
        a.setOnNeedResched(() -> needResched.add(true));
        assertTrue(cpus.wake(a));
        sim.schedule(1_000, () -> assertFalse(cpus.wake(b)));
        sim.schedule(5_000, () -> cpus.block(a));
        sim.run();
        assertEquals(List.of(true), needResched); // a was told another thread waits
        assertEquals(List.of("b@5000"), granted);
        assertEquals(CpuThread.State.RUNNING, b.state());
        assertEquals(4_000, b.waitNs());
        assertEquals(5_000, a.runNs());
        assertEquals(List.of(
                "sched_waking: comm=a pid=3001 prio=120 target_cpu=000",
                "sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=a next_pid=3001 next_prio=120",
                "sched_waking: comm=b pid=3002 prio=120 target_cpu=000",
                "sched_switch: prev_comm=a prev_pid=3001 prev_prio=120 prev_state=S ==> next_comm=b next_pid=3002 next_prio=120"), trace);
    }

    @Test
    void placement_prefersThePreviousIdleCpuThenTheLowestIdleOne() {
        HostCpus cpus = new HostCpus(sim, 3);
        CpuThread a = thread(cpus, "a", cpus.allCpus());
        CpuThread b = thread(cpus, "b", cpus.allCpus());
        CpuThread c = thread(cpus, "c", 0b100);
        assertTrue(cpus.wake(a));
        assertEquals(0, a.cpu());
        assertTrue(cpus.wake(b)); // 0 is busy: the lowest idle one
        assertEquals(1, b.cpu());
        assertTrue(cpus.wake(c)); // pinned to CPU 2
        assertEquals(2, c.cpu());
        cpus.block(b);
        assertTrue(cpus.wake(b)); // its previous CPU is idle again
        assertEquals(1, b.cpu());
    }

    @Test
    void aFloatingThread_queuesWhereFewestWait() {
        HostCpus cpus = new HostCpus(sim, 2);
        CpuThread a = thread(cpus, "a", 0b01);
        CpuThread b = thread(cpus, "b", 0b10);
        CpuThread c = thread(cpus, "c", 0b01);
        CpuThread d = thread(cpus, "d", 0b11);
        cpus.wake(a);
        cpus.wake(b);
        assertFalse(cpus.wake(c)); // queued on 0
        assertFalse(cpus.wake(d)); // 0 has one waiter, 1 none
        assertEquals(1, d.cpu());
        assertTrue(cpus.othersWaiting(a));
        assertTrue(cpus.othersWaiting(b));
    }

    @Test
    void cpuSets_outsideTheHostAreRejected() {
        HostCpus cpus = new HostCpus(sim, 2);
        assertThrows(IllegalArgumentException.class, () -> thread(cpus, "x", 0b100));
        assertThrows(IllegalArgumentException.class, () -> new HostCpus(sim, 0));
    }
}
