package dev.kvmsim.kvm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.kernel.Kernel;
import org.junit.jupiter.api.Test;

/**
 * Host threads that poll before they sleep: vhost-net busyloop (drivers/vhost/net.c
 * vhost_net_busy_poll) and QEMU's adaptive iothread polling (util/aio-posix.c
 * adjust_polling_time; expected windows worked out by hand from it).
 */
class HostThreadPollingTest {
    private final Simulation sim = new Simulation(1);
    private final Kernel env = new Kernel(sim, CostModel.defaults());
    private final FdTable fds = new FdTable(env);
    private final EventfdCtx kick = fds.eventfd(fds.eventfd2("kick", 0, 0));

    private long mean(Cost c) {
        return (long) env.costs().distribution(c).mean();
    }

    @Test
    void vhostBusyloop_aKickWithinTheWindowIsPolledOneAfterItSleeps() {
        HostThread t = new HostThread(env, "vhost-1", HostThread.Kind.VHOST, kick, Distribution.constant(1_000), null, 1);
        t.setPolling(ThreadPolling.busyloop(50_000));
        t.start();
        // before its first request the worker sleeps (busy polling runs from the handler)
        sim.schedule(10_000, kick::eventfdSignal);
        sim.run();
        assertEquals(0, t.polledWakeups());
        assertEquals(1, t.wakeups());
        long back = 10_000 + mean(Cost.VHOST_WAKEUP) + 1_000; // busy-polls from here until +50 us
        sim.scheduleAt(back + 20_000, kick::eventfdSignal); // within the window: polled
        sim.run();
        assertEquals(1, t.polledWakeups());
        assertEquals(1, t.wakeups());
        assertEquals(20_000, t.pollCpuNs());
        back += 20_000 + mean(Cost.THREAD_POLL_WAKEUP) + 1_000;
        // the next kick comes 60 us later: the window ran out, the thread slept
        sim.scheduleAt(back + 60_000, kick::eventfdSignal);
        sim.run();
        assertEquals(1, t.polledWakeups());
        assertEquals(2, t.wakeups());
        assertEquals(20_000 + 50_000, t.pollCpuNs());
        assertEquals(3, t.services());
    }

    @Test
    void aioPollTime_growsFromFourMicrosecondsDoublesCapsAndShrinks() {
        AioPollTime p = new AioPollTime(32_768, 0, 0);
        p.adjust(10_000); // 10000 > 0, < max: from 0 start at 4000
        assertEquals(4_000, p.ns());
        p.adjust(3_000); // fits: kept
        assertEquals(4_000, p.ns());
        p.adjust(20_000); // grow 2 (poll_grow 0 means 2): 8000
        p.adjust(20_000); // 16000
        p.adjust(20_000); // 32000
        assertEquals(32_000, p.ns());
        p.adjust(32_500); // 64000 capped at 32768
        assertEquals(32_768, p.ns());
        p.adjust(40_000); // > max, poll_shrink 0: 0
        assertEquals(0, p.ns());
        AioPollTime q = new AioPollTime(100_000, 3, 2);
        q.adjust(50_000); // 4000
        q.adjust(50_000); // 12000
        q.adjust(200_000); // > max: 12000 / 2
        assertEquals(6_000, q.ns());
        q.adjust(100_000); // == max: neither shrink (not >) nor grow (not <): kept
        assertEquals(6_000, q.ns());
    }

    @Test
    void iothreadAdaptive_startsWithoutPollingAndLearnsTheWindow() {
        HostThread t = new HostThread(env, "iothread0", HostThread.Kind.IOTHREAD, kick, Distribution.constant(1_000), null, 1);
        t.setPolling(ThreadPolling.adaptive(ThreadPolling.IOTHREAD_POLL_MAX_NS_DEFAULT, 0, 0));
        t.start();
        assertEquals(0, t.pollWindowNs());
        sim.schedule(10_000, kick::eventfdSignal); // slept: block 10 us + wake-up 5 us = 15 us < 32768 -> 4000
        sim.run();
        assertEquals(1, t.wakeups());
        assertEquals(4_000, t.pollWindowNs());
        // now it busy-polls 4 us and then sleeps: the idle time after that is not polling time
        sim.runUntil(sim.now() + 1_000_000);
        assertEquals(4_000, t.pollCpuNs());
    }

    @Test
    void withoutPolling_noCpuTimeIsSpentPolling() {
        HostThread t = new HostThread(env, "vhost-1", HostThread.Kind.VHOST, kick, Distribution.constant(1_000), null, 1);
        t.start();
        sim.schedule(20_000, kick::eventfdSignal);
        sim.runUntil(1_000_000);
        assertEquals(0, t.pollCpuNs());
        assertEquals(0, t.polledWakeups());
        assertEquals(1, t.wakeups());
    }
}
