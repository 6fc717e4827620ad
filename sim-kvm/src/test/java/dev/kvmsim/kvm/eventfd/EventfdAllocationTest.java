package dev.kvmsim.kvm.eventfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.kvm.host.HostThread;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing with tracing off: eventfd_signal with its wake walk, and a
 * host thread's whole poll/read/service/signal loop. Measured with the JVM's per-thread
 * allocation counter after a warm-up (so class loading and first-time growth are excluded).
 */
class EventfdAllocationTest {
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void eventfdSignal_withAWaiterAllocatesNothing() {
        EventfdTestSupport t = new EventfdTestSupport();
        EventfdCtx ctx = t.create(0, 0);
        int[] woken = {0};
        ctx.wqh().addWaitQueue(new WaitQueueEntry((e, m, k) -> {
            woken[0]++;
            return 0;
        }));
        ctx.eventfdSignal(10_000);
        // Steady state: the least of a few rounds (a round may catch the JIT or the
        // allocation counter's own bookkeeping; a real per-signal allocation shows in every round).
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = allocated();
            ctx.eventfdSignal(100_000);
            bytes = Math.min(bytes, allocated() - before);
        }
        assertEquals(510_000, woken[0]);
        assertTrue(bytes < 1_024, "allocated " + bytes + " bytes for 100,000 signals");
    }

    @Test
    void hostThreadLoop_allocatesNothingPerRequest() {
        EventfdTestSupport t = new EventfdTestSupport();
        EventfdCtx kick = t.create(0, 0);
        EventfdCtx call = t.create(0, 0);
        HostThread vhost = new HostThread(t.env, "vhost-1", HostThread.Kind.VHOST, kick, Distribution.constant(1_000), call, 1);
        vhost.start();
        Runnable signal = kick::eventfdSignal;
        for (int i = 0; i < 2_000; i++) {
            t.sim.schedule(100_000, signal);
            t.sim.run();
        }
        long bytes = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = allocated();
            for (int i = 0; i < 20_000; i++) {
                t.sim.schedule(100_000, signal);
                t.sim.run();
            }
            bytes = Math.min(bytes, allocated() - before);
        }
        assertEquals(62_000, vhost.services());
        assertTrue(bytes < 20_000 * 8, "allocated " + bytes + " bytes for 20,000 requests");
    }
}
