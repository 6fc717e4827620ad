package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.core.Durations;
import dev.kvmsim.core.RunLimitExceeded;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.trace.EventfdReadEvent;
import dev.kvmsim.kvm.trace.EventfdReleaseEvent;
import dev.kvmsim.kvm.trace.EventfdSignalEvent;
import dev.kvmsim.kvm.trace.EventfdSignalLostEvent;
import dev.kvmsim.kvm.trace.EventfdWriteEvent;
import dev.kvmsim.kvm.trace.TaskWakeupEvent;
import java.util.function.Consumer;

/**
 * An eventfd: {@code struct eventfd_ctx} (an unsigned 64-bit counter, flags, a wait queue, an
 * id) together with its one {@code struct file} (the file reference count). Models
 * fs/eventfd.c (6.17).
 *
 * <p>Rules: write(2) can bring the counter to at most {@code 0xfffffffffffffffe}; only the
 * in-kernel {@link #eventfdSignal()} reaches {@code 0xffffffffffffffff} (saturation, EPOLLERR).
 * A read or write that would block without EFD_NONBLOCK returns {@link EventfdResult#BLOCKED}
 * at once and leaves a sleeping task (a wait entry) that resumes {@code sched.wakeup} after it
 * is woken, re-checks, and completes through the caller's callback; nothing blocks a Java
 * thread.
 *
 * <p>Caveats: single simulation thread; {@code wqh.lock} is implicit. Statistics: {@link
 * #signals()} counts successful increments (eventfd_signal calls that ran, and successful
 * write(2) calls, blocked ones when they complete).
 */
public final class EventfdCtx implements EventfdCounters {
    public static final long ULLONG_MAX = 0xffffffffffffffffL;
    /** The largest value write(2) can leave in the counter. */
    public static final long MAX_WRITE_COUNT = 0xfffffffffffffffeL;

    public static final int EFD_SEMAPHORE = 1;
    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;
    /** include/linux/eventfd.h EFD_FLAGS_SET. */
    public static final int EFD_FLAGS_SET = EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC;

    private static final Consumer<EventfdResult> IGNORE = r -> { };

    private final Kernel env;
    private final WaitQueueHead wqh = new WaitQueueHead();
    private final int id;
    private final String name;
    private final int flags;
    private long count;
    private int ctxRefs = 1;
    private int fileRefs = 1;
    private long signals;
    private long lostSignals;

    /**
     * Models fs/eventfd.c do_eventfd after validation: a context with one context reference
     * and one file reference. Use {@link FdTable#eventfd2} for the syscall with its checks.
     */
    EventfdCtx(Kernel env, String name, long initial, int flags) {
        this.env = env;
        this.id = env.allocEventfdId();
        this.name = name;
        this.count = initial;
        this.flags = flags;
    }

    public String name() { return name; }

    public int id() { return id; }

    public int flags() { return flags; }

    public boolean semaphore() { return (flags & EFD_SEMAPHORE) != 0; }

    public boolean nonblock() { return (flags & EFD_NONBLOCK) != 0; }

    /** The counter (unsigned), read without consuming it (as /proc/PID/fdinfo shows it). */
    public long count() { return count; }

    public WaitQueueHead wqh() { return wqh; }

    /** Successful increments: eventfd_signal calls that ran plus successful write(2) calls. */
    public long signals() { return signals; }

    /** eventfd_signal calls lost to the recursion guard. */
    public long lostSignals() { return lostSignals; }

    public int ctxRefs() { return ctxRefs; }

    public int fileRefs() { return fileRefs; }

    /** True once the last file reference is gone (no descriptor can reach it any more). */
    public boolean released() { return fileRefs == 0; }

    // ---- the in-kernel API ----

    /** Models include/linux/eventfd.h eventfd_signal (6.8+): {@code eventfd_signal_mask(ctx, 0)}. */
    public void eventfdSignal() {
        eventfdSignalMask(0);
    }

    /**
     * {@code n} successive {@link #eventfdSignal()} calls (the scenario step {@code eventfd_signal
     * n: N}); {@code n} is unsigned, up to 2^64-1. In 6.17 eventfd_signal takes no count (fs/eventfd.c
     * eventfd_signal_mask adds exactly 1, saturating at ULLONG_MAX), so a count is that many calls.
     * While the wait queue is empty, a call only adds 1 (and counts a signal), so the calls left
     * are applied at once, saturating as one by one would (tracing off; with tracing each call is
     * its own event). A call that wakes a waiter, or one lost to the recursion guard, runs on its
     * own: more than {@link dev.kvmsim.core.Simulation#zeroTimeLimit()} of them stops the run
     * ({@link RunLimitExceeded}), as they all happen at one instant.
     */
    public void eventfdSignal(long n) {
        long left = n;
        long oneByOne = 0;
        while (left != 0) {
            if (!wqh.waitqueueActive() && !env.inEventfd() && !env.sim().tracing()) {
                count = addSaturating(count, left);
                signals = addSaturating(signals, left);
                return;
            }
            if (++oneByOne > env.sim().zeroTimeLimit()) {
                throw new RunLimitExceeded(RunLimitExceeded.Kind.ZERO_TIME_LOOP, "zero-time loop: eventfd_signal on " + name
                        + " made more than " + env.sim().zeroTimeLimit() + " calls at " + Durations.format(env.sim().now())
                        + " (n " + Long.toUnsignedString(n) + ")");
            }
            eventfdSignalMask(0);
            left--;
        }
    }

    /** Unsigned {@code a + b}, saturating at ULLONG_MAX. */
    static long addSaturating(long a, long b) {
        long sum = a + b;
        return Long.compareUnsigned(sum, a) < 0 ? ULLONG_MAX : sum;
    }

    /**
     * Models fs/eventfd.c eventfd_signal_mask: lost (counter untouched, traced) when
     * {@code current->in_eventfd}; else +1 saturating at ULLONG_MAX, then wake the queue with
     * {@code EPOLLIN | mask} if it is active, with in_eventfd set around the wakeup.
     */
    public void eventfdSignalMask(int mask) {
        if (env.inEventfd()) {
            lostSignals++;
            if (env.sim().tracing()) {
                env.sim().trace(new EventfdSignalLostEvent(env.sim().now(), env.current().comm(), env.current().cpu(), name, count));
            }
            return;
        }
        env.setInEventfd(true);
        long before = count;
        if (count != ULLONG_MAX) {
            count++;
        }
        if (signals != ULLONG_MAX) {
            signals++;
        }
        int waiters = wqh.size();
        if (env.sim().tracing()) {
            env.sim().trace(new EventfdSignalEvent(env.sim().now(), env.current().comm(), env.current().cpu(), name, before, count, waiters));
        }
        if (wqh.waitqueueActive()) {
            wqh.wakeUpLockedPoll(Poll.EPOLLIN | mask);
        }
        env.setInEventfd(false);
    }

    /**
     * Models fs/eventfd.c eventfd_ctx_do_read (caller holds wqh.lock): returns 1 for a
     * semaphore eventfd with a non-zero count, else the whole count, and subtracts it.
     */
    public long eventfdCtxDoRead() {
        long cnt = (semaphore() && count != 0) ? 1 : count;
        count -= cnt;
        return cnt;
    }

    /**
     * Models fs/eventfd.c eventfd_ctx_remove_wait_queue: under the lock, consume the counter as
     * a read does, remove {@code wait}, wake EPOLLOUT waiters if something was read. Returns
     * what was read; the kernel's return value is 0 if that is non-zero, else -EAGAIN (see
     * {@link #removeWaitQueueResult}).
     */
    public long eventfdCtxRemoveWaitQueue(WaitQueueEntry wait) {
        long before = count;
        long cnt = eventfdCtxDoRead();
        wqh.removeWaitQueue(wait);
        if (cnt != 0 && wqh.waitqueueActive()) {
            wqh.wakeUpLockedPoll(Poll.EPOLLOUT);
        }
        traceRead("eventfd_ctx_remove_wait_queue", cnt, before, cnt != 0 ? "ok" : "EAGAIN");
        return cnt;
    }

    /** The kernel return value of eventfd_ctx_remove_wait_queue for what it read. */
    public static int removeWaitQueueResult(long cnt) {
        return cnt != 0 ? 0 : Errno.EAGAIN.neg();
    }

    /** eventfd_ctx_get / a context reference taken by eventfd_ctx_fdget. */
    public void ctxGet() {
        ctxRefs++;
    }

    /** Models fs/eventfd.c eventfd_ctx_put. */
    public void ctxPut() {
        if (ctxRefs <= 0) {
            throw new IllegalStateException("eventfd " + name + ": context reference count underflow");
        }
        ctxRefs--;
    }

    // ---- the file operations ----

    /** Models fs/eventfd.c eventfd_poll with a null poll table: the mask alone. */
    public int poll() {
        return poll(null);
    }

    /**
     * Models fs/eventfd.c eventfd_poll: {@link #pollQueue} (poll_wait) first, then
     * {@link #pollMask} (READ_ONCE(count)). In that order a concurrent writer either sees the
     * new waiter and wakes it, or the poller sees the new count: no wakeup is lost.
     */
    public int poll(PollTable pt) {
        pollQueue(pt);
        return pollMask();
    }

    /** First step of eventfd_poll: {@code poll_wait(file, &ctx->wqh, wait)}. */
    public void pollQueue(PollTable pt) {
        PollTable.pollWait(this, wqh, pt);
    }

    /**
     * Second step of eventfd_poll: the mask for the current count. 0 -> OUT;
     * 1..ULLONG_MAX-2 -> IN|OUT; ULLONG_MAX-1 -> IN; ULLONG_MAX -> IN|ERR.
     */
    public int pollMask() {
        long c = count;
        int events = 0;
        if (c != 0) {
            events |= Poll.EPOLLIN;
        }
        if (c == ULLONG_MAX) {
            events |= Poll.EPOLLERR;
        }
        if (Long.compareUnsigned(ULLONG_MAX - 1, c) > 0) {
            events |= Poll.EPOLLOUT;
        }
        return events;
    }

    /** read(2) with no completion callback (a blocked read still completes, its result unused). */
    public EventfdResult read() {
        return read(IGNORE);
    }

    /**
     * Models fs/eventfd.c eventfd_read (8-byte buffer): count 0 -> EAGAIN if non-blocking, else
     * BLOCKED (the task sleeps; {@code done} gets the value when it completes); otherwise
     * eventfd_ctx_do_read, EPOLLOUT wakeup (in_eventfd set), the value.
     */
    public EventfdResult read(Consumer<EventfdResult> done) {
        return read(8, done);
    }

    /** read(2) with a buffer of {@code len} bytes: fewer than 8 is EINVAL. */
    public EventfdResult read(long len, Consumer<EventfdResult> done) {
        if (Long.compareUnsigned(len, 8) < 0) {
            return EventfdResult.error(Errno.EINVAL);
        }
        if (count == 0) {
            if (nonblock()) {
                traceRead("eventfd_read", 0, 0, "EAGAIN");
                return EventfdResult.error(Errno.EAGAIN);
            }
            traceRead("eventfd_read", 0, 0, "blocked");
            new BlockedOp(false, 0, done).sleep();
            return EventfdResult.BLOCKED;
        }
        return EventfdResult.value(doReadAndWake("eventfd_read"));
    }

    /** write(2) with no completion callback. */
    public EventfdResult write(long value) {
        return write(value, IGNORE);
    }

    /**
     * Models fs/eventfd.c eventfd_write (8-byte buffer): value ULLONG_MAX -> EINVAL; if
     * {@code ULLONG_MAX - count > value} add it and wake EPOLLIN (even for 0); else EAGAIN if
     * non-blocking, else BLOCKED until a read makes room.
     */
    public EventfdResult write(long value, Consumer<EventfdResult> done) {
        return write(8, value, done);
    }

    /** write(2) with a buffer of {@code len} bytes: 6.17 requires exactly 8 (else EINVAL). */
    public EventfdResult write(long len, long value, Consumer<EventfdResult> done) {
        if (len != 8) {
            return EventfdResult.error(Errno.EINVAL);
        }
        if (value == ULLONG_MAX) {
            traceWrite(value, count, "EINVAL");
            return EventfdResult.error(Errno.EINVAL);
        }
        if (writeFits(value)) {
            addAndWake(value);
            return EventfdResult.WRITTEN;
        }
        if (nonblock()) {
            traceWrite(value, count, "EAGAIN");
            return EventfdResult.error(Errno.EAGAIN);
        }
        traceWrite(value, count, "blocked");
        new BlockedOp(true, value, done).sleep();
        return EventfdResult.BLOCKED;
    }

    /** {@code ULLONG_MAX - count > value}, unsigned. */
    private boolean writeFits(long value) {
        return Long.compareUnsigned(ULLONG_MAX - count, value) > 0;
    }

    private void addAndWake(long value) {
        long before = count;
        count += value;
        signals++;
        traceWrite(value, before, "ok");
        env.setInEventfd(true);
        if (wqh.waitqueueActive()) {
            wqh.wakeUpLockedPoll(Poll.EPOLLIN);
        }
        env.setInEventfd(false);
    }

    private long doReadAndWake(String function) {
        long before = count;
        long ucnt = eventfdCtxDoRead();
        traceRead(function, ucnt, before, "ok");
        env.setInEventfd(true);
        if (wqh.waitqueueActive()) {
            wqh.wakeUpLockedPoll(Poll.EPOLLOUT);
        }
        env.setInEventfd(false);
        return ucnt;
    }

    /**
     * Takes a file reference (fget/eventfd_fget: a syscall in progress, a dup, vhost's hold on
     * its kick file). While any is held, closing the descriptor does not release the eventfd.
     */
    public void fileGet() {
        fileRefs++;
    }

    /** Drops a file reference (fput); the last one runs eventfd_release (EPOLLHUP). */
    public void filePut() {
        if (fileRefs <= 0) {
            throw new IllegalStateException("eventfd " + name + ": file reference count underflow");
        }
        if (--fileRefs == 0) {
            release();
        }
    }

    /** Models fs/eventfd.c eventfd_release: wake_up_poll(EPOLLHUP), then drop the file's ctx ref. */
    private void release() {
        int waiters = wqh.size();
        wqh.wakeUpPoll(Poll.EPOLLHUP);
        ctxPut();
        if (env.sim().tracing()) {
            env.sim().trace(new EventfdReleaseEvent(env.sim().now(), env.current().comm(), env.current().cpu(), name, waiters, ctxRefs));
        }
    }

    private void traceRead(String function, long value, long before, String result) {
        if (env.sim().tracing()) {
            env.sim().trace(new EventfdReadEvent(env.sim().now(), env.current().comm(), env.current().cpu(), name, function,
                value, before, count, result));
        }
    }

    private void traceWrite(long value, long before, String result) {
        if (env.sim().tracing()) {
            env.sim().trace(new EventfdWriteEvent(env.sim().now(), env.current().comm(), env.current().cpu(), name, value,
                before, count, result));
        }
    }

    @Override public String toString() {
        return "eventfd[" + name + " id " + id + " count 0x" + Long.toHexString(count) + "]";
    }

    /**
     * A task sleeping in read(2) or write(2): {@code wait_event_interruptible_locked_irq} with
     * a non-exclusive entry added at the tail and autoremove_wake_function (any key wakes it).
     * It holds a file reference for the duration of the syscall.
     */
    private final class BlockedOp implements WakeFunction {
        private final boolean write;
        private final long value;
        private final Consumer<EventfdResult> done;
        private final Task task;
        private final WaitQueueEntry entry = new WaitQueueEntry(this);
        private boolean woken;

        BlockedOp(boolean write, long value, Consumer<EventfdResult> done) {
            this.write = write;
            this.value = value;
            this.done = done;
            this.task = env.current();
            fileGet();
        }

        /** do_wait_intr_irq: add at the tail (non-exclusive) and schedule away. */
        void sleep() {
            woken = false;
            wqh.addTail(entry);
        }

        /** Models kernel/sched/wait.c autoremove_wake_function: wake the task, unlink the entry. */
        @Override public int wake(WaitQueueEntry e, int mode, int key) {
            if (woken) {
                return 0;
            }
            woken = true;
            wqh.removeWaitQueue(e);
            env.sim().schedule(env.charge(Cost.SCHED_WAKEUP, env.wakeRandom()), this::resume);
            return 1;
        }

        /** The task runs again: re-check the condition under the lock, complete or sleep again. */
        private void resume() {
            try (Kernel.Switch s = env.switchTo(task)) {
                resumeAsTask();
            }
        }

        private void resumeAsTask() {
            if (env.sim().tracing()) {
                env.sim().trace(new TaskWakeupEvent(env.sim().now(), task.comm(), task.cpu(),
                    (write ? "write(2)" : "read(2)") + " on eventfd " + name + " re-checks the counter"));
            }
            EventfdResult r = null;
            if (write) {
                if (writeFits(value)) {
                    addAndWake(value);
                    r = EventfdResult.WRITTEN;
                }
            } else if (count != 0) {
                r = EventfdResult.value(doReadAndWake("eventfd_read"));
            }
            if (r == null) {
                sleep();
            } else {
                filePut();
                done.accept(r);
            }
        }
    }
}
