package dev.kvmsim.kvm.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kernel/workqueue.c: queue_work, process_one_work, flush_work, flush_workqueue. */
class WorkqueueTest {
    private final Simulation sim = new Simulation(1);
    private final Kernel env = new Kernel(sim, CostModel.defaults());
    private final long wake = (long) env.costs().distribution(Cost.WQ_KWORKER_WAKEUP).mean();
    private final long item = (long) env.costs().distribution(Cost.WQ_WORK_ITEM).mean();
    private final List<String> log = new ArrayList<>();

    @Test
    void queueWork_ofAPendingItemReturnsFalseAndRequestsCollapseIntoOneRun() {
        Workqueue wq = Workqueue.system(env);
        Work w = new Work("inject", () -> log.add("run@" + sim.now()));
        assertTrue(wq.queueWork(w));
        assertTrue(w.pending());
        assertFalse(wq.queueWork(w));
        assertFalse(wq.scheduleWork(w));
        sim.run();
        assertEquals(List.of("run@" + (wake + item)), log);
        assertEquals(1, w.runs());
        assertFalse(w.pending());
    }

    @Test
    void processOneWork_clearsPendingJustBeforeTheFunctionRuns() {
        Workqueue wq = Workqueue.system(env);
        boolean[] requeued = new boolean[1];
        Work[] self = new Work[1];
        self[0] = new Work("again", () -> {
            log.add("pending=" + self[0].pending());
            if (self[0].runs() == 0) {
                requeued[0] = wq.queueWork(self[0]);
            }
        });
        wq.queueWork(self[0]);
        sim.run();
        assertTrue(requeued[0]);
        assertEquals(List.of("pending=false", "pending=false"), log);
        assertEquals(2, self[0].runs());
    }

    @Test
    void kworker_runsFunctionsAsItsOwnTask() {
        Workqueue wq = Workqueue.system(env);
        String before = env.current().comm();
        wq.queueWork(new Work("w", () -> log.add(env.current().comm())));
        sim.run();
        assertEquals(List.of("kworker/0:1"), log);
        assertEquals(before, env.current().comm());
    }

    @Test
    void kworker_thatIsAwakeRunsTheNextItemWithoutAnotherWakeup() {
        Workqueue wq = Workqueue.system(env);
        wq.queueWork(new Work("a", () -> log.add("a@" + sim.now())));
        wq.queueWork(new Work("b", () -> log.add("b@" + sim.now())));
        sim.run();
        assertEquals(List.of("a@" + (wake + item), "b@" + (wake + 2 * item)), log);
        assertEquals(2, wq.executed());
    }

    @Test
    void orderedWorkqueue_runsOneItemAtATimeInOrderEvenWhenAFunctionSleeps() {
        Workqueue wq = Workqueue.ordered(env, "kvm-irqfd-cleanup");
        wq.queueWork(new Work("slow", (w, done) -> {
            log.add("slow start@" + sim.now());
            sim.schedule(10_000, () -> {
                log.add("slow end@" + sim.now());
                done.run();
            });
        }));
        wq.queueWork(new Work("fast", () -> log.add("fast@" + sim.now())));
        sim.run();
        long t0 = wake + item;
        assertEquals(List.of("slow start@" + t0, "slow end@" + (t0 + 10_000), "fast@" + (t0 + 10_000 + item)), log);
    }

    @Test
    void systemWorkqueue_wakesAnotherWorkerWhileAFunctionSleeps() {
        Workqueue wq = Workqueue.system(env);
        wq.queueWork(new Work("slow", (w, done) -> sim.schedule(1_000_000, done)));
        wq.queueWork(new Work("fast", () -> log.add(env.current().comm() + "@" + sim.now())));
        sim.run();
        long t0 = wake + item;
        assertEquals(List.of("kworker/0:2@" + (t0 + wake + item)), log);
    }

    @Test
    void flushWork_ofAnIdleItemReturnsFalseAtOnce() {
        Workqueue wq = Workqueue.system(env);
        Work w = new Work("w", () -> { });
        assertFalse(wq.flushWork(w, () -> log.add("flushed@" + sim.now())));
        assertEquals(List.of("flushed@0"), log);
    }

    @Test
    void flushWork_waitsForThePendingRun() {
        Workqueue wq = Workqueue.system(env);
        Work w = new Work("w", () -> log.add("run@" + sim.now()));
        wq.queueWork(w);
        assertTrue(wq.flushWork(w, () -> log.add("flushed@" + sim.now())));
        sim.run();
        assertEquals(List.of("run@" + (wake + item), "flushed@" + (wake + item)), log);
    }

    @Test
    void flushWork_waitsForTheRunningInstanceAndTheOneQueuedWhileItRuns() {
        Workqueue wq = Workqueue.system(env);
        Work[] w = new Work[1];
        w[0] = new Work("w", (self, done) -> {
            log.add("run" + self.runs() + "@" + sim.now());
            if (self.runs() == 0) {
                wq.queueWork(self);
                wq.flushWork(self, () -> log.add("flushed@" + sim.now()));
            }
            sim.schedule(100, done);
        });
        wq.queueWork(w[0]);
        sim.run();
        long t0 = wake + item;
        long t1 = t0 + 100 + item;
        assertEquals(List.of("run0@" + t0, "run1@" + t1, "flushed@" + (t1 + 100)), log);
    }

    @Test
    void flushWorkqueue_waitsForEverythingQueuedBeforeIt() {
        Workqueue wq = Workqueue.ordered(env, "cleanup");
        wq.queueWork(new Work("a", () -> log.add("a")));
        wq.queueWork(new Work("b", () -> log.add("b")));
        wq.flushWorkqueue(() -> log.add("flushed@" + sim.now()));
        sim.run();
        assertEquals(List.of("a", "b", "flushed@" + (wake + 2 * item)), log);
    }

    @Test
    void flushWorkqueue_ofAnEmptyQueueCompletesAtOnce() {
        Workqueue wq = Workqueue.system(env);
        wq.flushWorkqueue(() -> log.add("flushed"));
        assertEquals(List.of("flushed"), log);
    }
}
