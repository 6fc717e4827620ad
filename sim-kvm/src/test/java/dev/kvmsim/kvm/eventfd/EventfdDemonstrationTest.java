package dev.kvmsim.kvm.eventfd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.kernel.TaskKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two classic eventfd demonstrations, in simulated time. */
class EventfdDemonstrationTest {
    private static final long SECOND = 1_000_000_000L;
    private final EventfdTestSupport t = new EventfdTestSupport();

    @Test
    void shouldWakeAProgramBlockedInSelectWhenAKernelModuleSignalsOnce() {
        // fs/select.c do_select + pollwake; fs/eventfd.c eventfd_signal, eventfd_read
        int fd = t.fds.eventfd2(0, 0);
        EventfdCtx efd = t.fds.eventfd(fd);
        PollTask app = new PollTask(t.env, t.env.newTask(TaskKind.IOTHREAD, "app", 0), Cost.SCHED_WAKEUP);
        List<String> out = new ArrayList<>();
        long[] exitedAt = {-1};
        app.poll(efd, Poll.POLLIN_SET, mask -> {
            EventfdResult r = t.fds.read(fd, x -> { });
            out.add("read " + r.value());
            exitedAt[0] = t.sim.now();
        });
        t.sim.schedule(SECOND, efd::eventfdSignal); // the module's eventfd_signal
        t.sim.run();
        long wake = (long) t.env.costs().distribution(Cost.SCHED_WAKEUP).mean();
        assertEquals(List.of("read 1"), out);
        assertEquals(SECOND + wake, exitedAt[0]);
        assertEquals(1, app.wakeups());
        assertEquals(0, efd.count());
        assertEquals(0, efd.wqh().size());
    }

    @Test
    void shouldRunAPollersWakeFunctionOncePerSignal() {
        // a VFIO-style virqfd: a custom wake function on the eventfd, run inside eventfd_signal
        EventfdCtx efd = t.create(0, 0);
        List<String> printed = new ArrayList<>();
        int[] times = {0};
        WaitQueueEntry virqfd = new WaitQueueEntry((e, mode, key) -> {
            if ((key & Poll.EPOLLIN) != 0) {
                efd.eventfdCtxDoRead();
                times[0]++;
                printed.add((t.sim.now() / SECOND) + "s pollin event, virqfd_wakeup times " + times[0]);
            }
            return 0;
        });
        efd.poll(new PollTable((file, wqh, pt) -> wqh.addWaitQueue(virqfd)));
        for (int i = 1; i <= 10; i++) {
            t.sim.scheduleAt(i * SECOND, efd::eventfdSignal);
        }
        t.sim.run();
        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            expected.add(n + "s pollin event, virqfd_wakeup times " + n);
        }
        assertEquals(expected, printed);
        assertEquals(0, efd.count());
        assertEquals(10, efd.signals());
    }
}
