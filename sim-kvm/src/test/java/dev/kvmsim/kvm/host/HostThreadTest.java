package dev.kvmsim.kvm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.eventfd.Poll;
import dev.kvmsim.kvm.eventfd.WaitQueueEntry;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Host threads: poll, read, service, signal (drivers/vhost, a QEMU iothread). */
class HostThreadTest {
    private final Simulation sim = new Simulation(1);
    private final Kernel env = new Kernel(sim, CostModel.defaults());
    private final FdTable fds = new FdTable(env);
    private final EventfdCtx kick = fds.eventfd(fds.eventfd2("kick", 0, 0));
    private final EventfdCtx call = fds.eventfd(fds.eventfd2("call", 0, 0));
    private final List<Long> callSignalledAt = new ArrayList<>();

    private long mean(Cost c) {
        return (long) env.costs().distribution(c).mean();
    }

    private void watchCall() {
        call.wqh().addWaitQueue(new WaitQueueEntry((e, m, k) -> {
            if ((k & Poll.EPOLLIN) != 0) {
                callSignalledAt.add(sim.now());
            }
            return 0;
        }));
    }

    @Test
    void vhost_wakesReadsServicesAndSignals() {
        HostThread t = new HostThread(env, "vhost-1", HostThread.Kind.VHOST, kick, Distribution.constant(3_000), call, 1);
        watchCall();
        t.start();
        sim.schedule(10_000, kick::eventfdSignal);
        sim.run();
        assertEquals(List.of(10_000 + mean(Cost.VHOST_WAKEUP) + 3_000), callSignalledAt);
        assertEquals(1, t.wakeups());
        assertEquals(1, t.services());
        assertEquals(0, kick.count());
        assertEquals(1, call.count());
        assertEquals(1, kick.wqh().size()); // polling again
    }

    @Test
    void iothread_paysReadAndWriteSyscalls() {
        HostThread t = new HostThread(env, "iothread0", HostThread.Kind.IOTHREAD, kick, Distribution.constant(2_000), call, 1);
        watchCall();
        t.start();
        sim.schedule(5_000, kick::eventfdSignal);
        sim.run();
        long expected = 5_000 + mean(Cost.IOTHREAD_WAKEUP) + mean(Cost.SYSCALL_READ) + 2_000 + mean(Cost.SYSCALL_WRITE);
        assertEquals(List.of(expected), callSignalledAt);
        assertEquals(1, call.signals());
        assertEquals(0, kick.count());
    }

    @Test
    void signalsWhileServicingCollapseIntoTheNextRead() {
        HostThread t = new HostThread(env, "vhost-1", HostThread.Kind.VHOST, kick, Distribution.constant(100_000), null, 1);
        t.start();
        sim.schedule(1_000, kick::eventfdSignal);
        long firstRead = 1_000 + mean(Cost.VHOST_WAKEUP);
        sim.schedule(firstRead + 10, () -> kick.eventfdSignal(3));
        sim.run();
        assertEquals(2, t.services());
        assertEquals(4, t.valuesRead());
        assertEquals(1, t.wakeups()); // the second request was already there when it polled again
    }

    @Test
    void thread_keepsItsEventfdAliveAfterTheDescriptorIsClosed() {
        // vhost holds the kick file (eventfd_fget): close(2) of the VMM's fd does not release it
        int fd = fds.eventfd2("kick2", 0, 0);
        EventfdCtx kick2 = fds.eventfd(fd);
        HostThread t = new HostThread(env, "vhost-2", HostThread.Kind.VHOST, kick2, Distribution.constant(1), null, 0);
        t.start();
        sim.schedule(1_000, () -> fds.close(fd));
        sim.schedule(2_000, kick2::eventfdSignal);
        sim.run();
        assertFalse(kick2.released());
        assertEquals(1, t.services());
        t.stop();
        assertTrue(t.stopped());
        assertTrue(kick2.released());
        assertEquals(0, kick2.wqh().size());
    }

    @Test
    void kind_byLabel() {
        assertEquals(HostThread.Kind.VHOST, HostThread.Kind.byLabel("vhost"));
        assertEquals(HostThread.Kind.IOTHREAD, HostThread.Kind.byLabel("iothread"));
    }
}
