package dev.kvmsim.kvm.eventfd;

import static dev.kvmsim.kvm.eventfd.EventfdCtx.EFD_CLOEXEC;
import static dev.kvmsim.kvm.eventfd.EventfdCtx.EFD_NONBLOCK;
import static dev.kvmsim.kvm.eventfd.EventfdCtx.EFD_SEMAPHORE;
import static dev.kvmsim.kvm.eventfd.EventfdCtx.ULLONG_MAX;
import static dev.kvmsim.kvm.eventfd.Poll.EPOLLERR;
import static dev.kvmsim.kvm.eventfd.Poll.EPOLLHUP;
import static dev.kvmsim.kvm.eventfd.Poll.EPOLLIN;
import static dev.kvmsim.kvm.eventfd.Poll.EPOLLOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.trace.MemoryTraceSink;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.trace.EventfdSignalLostEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fs/eventfd.c (6.17), docs/kernel-model.md#eventfd: one test per rule. */
class EventfdCtxTest {
    private final EventfdTestSupport t = new EventfdTestSupport();
    /** The sched.wakeup default (a constant), the latency of a task blocked in read/write. */
    private final long wakeNs = (long) t.env.costs().distribution(Cost.SCHED_WAKEUP).mean();

    private static int[] countingEntry(EventfdCtx ctx, List<Integer> keys) {
        int[] n = new int[1];
        ctx.wqh().addWaitQueue(new WaitQueueEntry((e, m, key) -> {
            n[0]++;
            keys.add(key);
            return 1;
        }));
        return n;
    }

    // ---- eventfd2 / do_eventfd ----

    @Test
    void eventfd2_unknownFlagBitsAreEinval() {
        assertEquals(Errno.EINVAL.neg(), t.fds.eventfd2(0, 0x2));
        assertEquals(Errno.EINVAL.neg(), t.fds.eventfd2(0, EFD_NONBLOCK | 0x100));
    }

    @Test
    void eventfd2_acceptsSemaphoreNonblockAndCloexec() {
        int fd = t.fds.eventfd2(7, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
        assertTrue(fd >= 3);
        EventfdCtx ctx = t.fds.eventfd(fd);
        assertEquals(7, ctx.count());
        assertTrue(ctx.semaphore());
        assertTrue(ctx.nonblock());
    }

    @Test
    void eventfd2_initialValueIsAnUnsignedInt() {
        assertTrue(t.fds.eventfd2(0xffffffffL, 0) >= 0);
        assertEquals(Errno.EINVAL.neg(), t.fds.eventfd2(0x1_0000_0000L, 0));
        assertEquals(Errno.EINVAL.neg(), t.fds.eventfd2(-1, 0));
    }

    @Test
    void eventfd2_givesEachContextItsOwnId() {
        EventfdCtx a = t.create(0, 0);
        EventfdCtx b = t.create(0, 0);
        assertEquals(a.id() + 1, b.id());
    }

    // ---- eventfd_write ----

    @Test
    void write_addsTheValueUpToUllongMaxMinusOne() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        assertEquals(EventfdResult.WRITTEN, ctx.write(0xfffffffffffffffeL));
        assertEquals(0xfffffffffffffffeL, ctx.count());
    }

    @Test
    void write_ofUllongMaxIsEinval() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        assertEquals(EventfdResult.error(Errno.EINVAL), ctx.write(ULLONG_MAX));
        assertEquals(0, ctx.count());
    }

    @Test
    void write_thatWouldOverflowIsEagainWhenNonblocking() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.write(0xfffffffffffffff0L);
        assertEquals(EventfdResult.error(Errno.EAGAIN), ctx.write(0xf));
        assertEquals(EventfdResult.WRITTEN, ctx.write(0xe));
        assertEquals(0xfffffffffffffffeL, ctx.count());
        assertEquals(EventfdResult.error(Errno.EAGAIN), ctx.write(1));
    }

    @Test
    void write_ofZeroOnASaturatedCounterIsEagain() {
        // ULLONG_MAX - count > 0 is false only when count == ULLONG_MAX
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.write(0xfffffffffffffffeL);
        ctx.eventfdSignal();
        assertEquals(EventfdResult.error(Errno.EAGAIN), ctx.write(0));
    }

    @Test
    void write_ofZeroSucceedsAndStillWakesWaiters() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        List<Integer> keys = new ArrayList<>();
        int[] n = countingEntry(ctx, keys);
        assertEquals(EventfdResult.WRITTEN, ctx.write(0));
        assertEquals(0, ctx.count());
        assertEquals(1, n[0]);
        assertEquals(List.of(EPOLLIN), keys);
    }

    @Test
    void write_withABufferOtherThanEightBytesIsEinval() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        assertEquals(EventfdResult.error(Errno.EINVAL), ctx.write(4, 1, r -> { }));
        assertEquals(EventfdResult.error(Errno.EINVAL), ctx.write(16, 1, r -> { }));
    }

    @Test
    void write_thatWouldOverflowBlocksUntilAReadMakesRoom() {
        EventfdCtx ctx = t.create(0, 0);
        ctx.write(0xfffffffffffffffeL);
        List<EventfdResult> done = new ArrayList<>();
        assertEquals(EventfdResult.BLOCKED, ctx.write(5, done::add));
        assertEquals(0xfffffffffffffffeL, ctx.count());
        t.sim.schedule(1_000, () -> assertEquals(EventfdResult.value(0xfffffffffffffffeL), ctx.read()));
        t.sim.run();
        assertEquals(List.of(EventfdResult.WRITTEN), done);
        assertEquals(5, ctx.count());
        assertEquals(1_000 + wakeNs, t.sim.now());
    }

    // ---- eventfd_read / eventfd_ctx_do_read ----

    @Test
    void read_returnsAndClearsTheCount() {
        EventfdCtx ctx = t.create(5, EFD_NONBLOCK);
        assertEquals(EventfdResult.value(5), ctx.read());
        assertEquals(0, ctx.count());
    }

    @Test
    void read_ofZeroIsEagainWhenNonblocking() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        assertEquals(EventfdResult.error(Errno.EAGAIN), ctx.read());
    }

    @Test
    void read_withABufferUnderEightBytesIsEinval() {
        EventfdCtx ctx = t.create(1, EFD_NONBLOCK);
        assertEquals(EventfdResult.error(Errno.EINVAL), ctx.read(4, r -> { }));
        assertEquals(EventfdResult.value(1), ctx.read(16, r -> { }));
    }

    @Test
    void read_ofASemaphoreReturnsOneAtATime() {
        EventfdCtx ctx = t.create(3, EFD_SEMAPHORE | EFD_NONBLOCK);
        assertEquals(EventfdResult.value(1), ctx.read());
        assertEquals(EventfdResult.value(1), ctx.read());
        assertEquals(EventfdResult.value(1), ctx.read());
        assertEquals(EventfdResult.error(Errno.EAGAIN), ctx.read());
    }

    @Test
    void read_ofZeroBlocksUntilASignalThenCompletesAfterTheWakeupLatency() {
        EventfdCtx ctx = t.create(0, 0);
        List<EventfdResult> done = new ArrayList<>();
        assertEquals(EventfdResult.BLOCKED, ctx.read(done::add));
        assertEquals(1, ctx.wqh().size());
        t.sim.schedule(2_000, () -> ctx.eventfdSignal(2));
        t.sim.run();
        assertEquals(List.of(EventfdResult.value(2)), done);
        assertEquals(0, ctx.count());
        assertEquals(2_000 + wakeNs, t.sim.now());
        assertFalse(ctx.wqh().waitqueueActive());
    }

    @Test
    void read_blockedReaderSleepsAgainWhenTheCountIsGoneBeforeItRuns() {
        // wait_event_interruptible_locked_irq re-checks the condition after every wakeup
        EventfdCtx ctx = t.create(0, 0);
        List<EventfdResult> done = new ArrayList<>();
        ctx.read(done::add);
        t.sim.schedule(1_000, () -> {
            ctx.eventfdSignal();
            ctx.eventfdCtxDoRead(); // a kernel user takes it before the reader runs
        });
        t.sim.run();
        assertTrue(done.isEmpty());
        assertEquals(1, ctx.wqh().size());
        ctx.eventfdSignal();
        t.sim.run();
        assertEquals(List.of(EventfdResult.value(1)), done);
    }

    @Test
    void read_wakesEpolloutWaiters() {
        EventfdCtx ctx = t.create(4, EFD_NONBLOCK);
        List<Integer> keys = new ArrayList<>();
        countingEntry(ctx, keys);
        ctx.read();
        assertEquals(List.of(EPOLLOUT), keys);
    }

    @Test
    void eventfdCtxDoRead_ofSemaphoreWithZeroCountReadsZero() {
        // after the semaphore underflow fix: (SEMAPHORE && count) ? 1 : count
        EventfdCtx ctx = t.create(0, EFD_SEMAPHORE);
        assertEquals(0, ctx.eventfdCtxDoRead());
        assertEquals(0, ctx.count());
        ctx.eventfdSignal(2);
        assertEquals(1, ctx.eventfdCtxDoRead());
        assertEquals(1, ctx.count());
    }

    // ---- eventfd_signal ----

    @Test
    void eventfdSignal_addsOneAndWakesWithEpollin() {
        EventfdCtx ctx = t.create(0, 0);
        List<Integer> keys = new ArrayList<>();
        countingEntry(ctx, keys);
        ctx.eventfdSignal();
        assertEquals(1, ctx.count());
        assertEquals(List.of(EPOLLIN), keys);
        assertEquals(1, ctx.signals());
    }

    @Test
    void eventfdSignalMask_addsTheMaskToTheWakeKey() {
        EventfdCtx ctx = t.create(0, 0);
        List<Integer> keys = new ArrayList<>();
        countingEntry(ctx, keys);
        ctx.eventfdSignalMask(Poll.EPOLLPRI);
        assertEquals(List.of(EPOLLIN | Poll.EPOLLPRI), keys);
    }

    @Test
    void eventfdSignal_saturatesAtUllongMax() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.write(0xfffffffffffffffeL);
        ctx.eventfdSignal();
        assertEquals(ULLONG_MAX, ctx.count());
        ctx.eventfdSignal();
        assertEquals(ULLONG_MAX, ctx.count());
        assertEquals(3, ctx.signals());
    }

    @Test
    void eventfdSignal_nFormIsNCalls() {
        EventfdCtx ctx = t.create(0, 0);
        List<Integer> keys = new ArrayList<>();
        int[] n = countingEntry(ctx, keys);
        ctx.eventfdSignal(5);
        assertEquals(5, ctx.count());
        assertEquals(5, n[0]);
        assertEquals(5, ctx.signals());
    }

    @Test
    void eventfdSignal_fromInsideAWakeCallbackIsLostAndTraced() {
        // eventfd_signal_mask: WARN_ON_ONCE(current->in_eventfd) -> return, counter untouched
        MemoryTraceSink sink = new MemoryTraceSink();
        t.sim.setTraceSink(sink);
        EventfdCtx a = t.create(0, 0);
        EventfdCtx b = t.create(0, 0);
        a.wqh().addWaitQueue(new WaitQueueEntry((e, m, k) -> {
            b.eventfdSignal();
            return 0;
        }));
        a.eventfdSignal();
        assertEquals(1, a.count());
        assertEquals(0, b.count());
        assertEquals(1, b.lostSignals());
        assertEquals(0, b.signals());
        assertEquals(1, sink.eventsOf(EventfdSignalLostEvent.class).size());
        // the guard is cleared after the wakeup
        b.eventfdSignal();
        assertEquals(1, b.count());
    }

    @Test
    void eventfdSignal_fromInsideTheWakeupOfAWriteIsLost() {
        // eventfd_write sets current->in_eventfd around its wake_up_locked_poll
        EventfdCtx a = t.create(0, EFD_NONBLOCK);
        EventfdCtx b = t.create(0, 0);
        a.wqh().addWaitQueue(new WaitQueueEntry((e, m, k) -> {
            b.eventfdSignal();
            return 0;
        }));
        a.write(1);
        assertEquals(0, b.count());
        assertFalse(t.env.inEventfd());
    }

    @Test
    void eventfdSignal_fromInsideTheWakeupOfAReadIsLost() {
        EventfdCtx a = t.create(1, EFD_NONBLOCK);
        EventfdCtx b = t.create(0, 0);
        a.wqh().addWaitQueue(new WaitQueueEntry((e, m, k) -> {
            b.eventfdSignal();
            return 0;
        }));
        a.read();
        assertEquals(0, b.count());
    }

    // ---- eventfd_poll ----

    @Test
    void poll_reportsOutOnlyForZero() {
        assertEquals(EPOLLOUT, t.create(0, 0).poll());
    }

    @Test
    void poll_reportsInAndOutFromOneToUllongMaxMinusTwo() {
        assertEquals(EPOLLIN | EPOLLOUT, t.create(1, 0).poll());
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.write(0xfffffffffffffffdL);
        assertEquals(EPOLLIN | EPOLLOUT, ctx.poll());
    }

    @Test
    void poll_reportsInOnlyAtUllongMaxMinusOne() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.write(0xfffffffffffffffeL);
        assertEquals(EPOLLIN, ctx.poll());
    }

    @Test
    void poll_reportsInAndErrAtUllongMax() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.write(0xfffffffffffffffeL);
        ctx.eventfdSignal();
        assertEquals(EPOLLIN | EPOLLERR, ctx.poll());
    }

    @Test
    void poll_callsTheQueueProcedureWithTheContextsWaitQueue() {
        EventfdCtx ctx = t.create(0, 0);
        List<WaitQueueHead> queued = new ArrayList<>();
        ctx.poll(new PollTable((file, wqh, pt) -> queued.add(wqh)));
        assertEquals(List.of(ctx.wqh()), queued);
    }

    // ---- eventfd_ctx_remove_wait_queue ----

    @Test
    void removeWaitQueue_consumesRemovesAndReportsWhatWasRead() {
        EventfdCtx ctx = t.create(3, 0);
        WaitQueueEntry mine = new WaitQueueEntry((e, m, k) -> 0);
        ctx.wqh().addWaitQueue(mine);
        List<Integer> keys = new ArrayList<>();
        countingEntry(ctx, keys);
        long cnt = ctx.eventfdCtxRemoveWaitQueue(mine);
        assertEquals(3, cnt);
        assertEquals(0, EventfdCtx.removeWaitQueueResult(cnt));
        assertEquals(0, ctx.count());
        assertFalse(mine.queued());
        assertEquals(List.of(EPOLLOUT), keys);
    }

    @Test
    void removeWaitQueue_ofAnEmptyCounterIsEagainAndWakesNobody() {
        EventfdCtx ctx = t.create(0, 0);
        WaitQueueEntry mine = new WaitQueueEntry((e, m, k) -> 0);
        ctx.wqh().addWaitQueue(mine);
        List<Integer> keys = new ArrayList<>();
        countingEntry(ctx, keys);
        long cnt = ctx.eventfdCtxRemoveWaitQueue(mine);
        assertEquals(Errno.EAGAIN.neg(), EventfdCtx.removeWaitQueueResult(cnt));
        assertTrue(keys.isEmpty());
    }

    // ---- release, references ----

    @Test
    void close_ofTheLastFileReferenceWakesWithEpollhup() {
        int fd = t.fds.eventfd2(0, 0);
        EventfdCtx ctx = t.fds.eventfd(fd);
        List<Integer> keys = new ArrayList<>();
        countingEntry(ctx, keys);
        assertEquals(0, t.fds.close(fd));
        assertEquals(List.of(EPOLLHUP), keys);
        assertTrue(ctx.released());
        assertEquals(0, ctx.ctxRefs());
    }

    @Test
    void close_leavesTheContextAliveForAKernelUsersReference() {
        int fd = t.fds.eventfd2(0, 0);
        EventfdCtx ctx = t.fds.eventfdCtxFdget(fd).ctx();
        assertEquals(2, ctx.ctxRefs());
        t.fds.close(fd);
        assertEquals(1, ctx.ctxRefs());
        ctx.eventfdSignal(); // still usable by its kernel user
        assertEquals(1, ctx.count());
        assertEquals(Errno.EBADF, t.fds.eventfdCtxFdget(fd).errno());
    }

    @Test
    void close_whileAReadIsBlockedDefersTheReleaseUntilTheReadReturns() {
        // the blocked read(2) holds a file reference (fdget) for its duration
        int fd = t.fds.eventfd2(0, 0);
        EventfdCtx ctx = t.fds.eventfd(fd);
        List<EventfdResult> done = new ArrayList<>();
        ctx.read(done::add);
        t.fds.close(fd);
        assertFalse(ctx.released());
        ctx.eventfdSignal();
        t.sim.run();
        assertEquals(List.of(EventfdResult.value(1)), done);
        assertTrue(ctx.released());
    }

    @Test
    void signals_countsSignalsAndSuccessfulWritesOnly() {
        EventfdCtx ctx = t.create(0, EFD_NONBLOCK);
        ctx.eventfdSignal();
        ctx.write(2);
        ctx.write(ULLONG_MAX); // EINVAL: not counted
        ctx.read();
        assertEquals(2, ctx.signals());
        assertNull(EventfdResult.WRITTEN.errno());
    }
}
