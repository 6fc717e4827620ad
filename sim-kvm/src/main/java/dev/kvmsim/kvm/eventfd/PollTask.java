package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.sched.CpuThread;
import dev.kvmsim.kvm.sched.HostCpus;
import dev.kvmsim.kvm.trace.TaskWakeupEvent;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * A task in poll(2)/select(2) on one eventfd. Models fs/select.c do_poll with __pollwait
 * (a non-exclusive entry added with add_wait_queue, key = the events asked for plus
 * EPOLLERR|EPOLLHUP) and pollwake (ignores wakeups whose key has none of those bits; wakes the
 * task). The woken task runs after its wake-up cost and polls again; when the mask has an
 * event it removes its entry (poll_freewait) and calls back with the mask.
 *
 * <p>The syscall holds a file reference while it polls, so closing the descriptor meanwhile
 * does not release the eventfd. Caveats: one outstanding poll per task; no timeout.
 */
public final class PollTask {
    private final Kernel env;
    private final Task task;
    private final Cost wakeupCost;
    private final SplittableRandom random;
    private final WaitQueueEntry entry;
    private final PollTable pt;
    private final PollTable.QueueProc qproc = this::pollwait;
    private final Runnable resumeFn = this::resume;
    private EventfdCtx ctx;
    private int events;
    private IntConsumer onReady;
    private boolean sleeping;
    private boolean woken;
    private long wakeups;
    // ---- busy polling before the sleep (a host thread's busyloop / adaptive poll) ----
    private long spinStart;
    private long spinUntil = Long.MIN_VALUE;
    private boolean wokenPolled;
    private long polledWakeups;
    private long spinNs;
    private long lastBlockNs;
    // ---- host CPU contention (null: the task owns its CPU) ----
    private HostCpus cpus;
    private CpuThread cpuThread;
    private long spinEndEvent = -1;
    /** The scheduler granted the CPU to the woken task: it runs after its wake-up cost. */
    private final Runnable grantedFn = this::granted;
    private final Runnable spinEndFn = this::spinEnd;

    /** {@code task} polling; its wake-up latency is drawn from {@code wakeupCost}. */
    public PollTask(Kernel env, Task task, Cost wakeupCost) {
        this.env = env;
        this.task = task;
        this.wakeupCost = wakeupCost;
        this.random = env.sim().random("poll." + task.comm());
        this.entry = new WaitQueueEntry(this::pollwake, this, 0);
        this.pt = new PollTable(qproc);
    }

    public Task task() { return task; }

    /** Times the task was woken out of its sleep by a matching wakeup (not counting wakeups seen while it busy-polled). */
    public long wakeups() { return wakeups; }

    /**
     * The task competes for the host's CPUs: it holds one while it runs or busy-polls and gives it
     * up when it sleeps; a woken task waits for a CPU of its set (see {@link HostCpus}).
     */
    public void attachCpus(HostCpus hostCpus, long allowed) {
        this.cpus = hostCpus;
        this.cpuThread = hostCpus.register(task, allowed, grantedFn);
        // vhost_net_busy_poll stops when another task wants the CPU (need_resched)
        cpuThread.setOnNeedResched(this::needResched);
        // registered asleep: a host thread's first act is to poll (and sleep)
    }

    /** The task's scheduler view, or null without a CPU model. */
    public CpuThread cpuThread() { return cpuThread; }

    /** Times a matching wakeup came while the task busy-polled (no sleep, no scheduler wake-up). */
    public long polledWakeups() { return polledWakeups; }

    /** CPU time the task spent busy-polling, up to now. */
    public long spinNs() {
        long now = env.sim().now();
        if (!sleeping || woken || spinUntil == Long.MIN_VALUE) {
            return spinNs;
        }
        return spinNs + Math.max(0, Math.min(now, spinUntil) - spinStart);
    }

    /** How long the last completed poll waited: from its start until the task ran with the event (0 if ready at once). */
    public long lastBlockNs() { return lastBlockNs; }

    /** True while it sleeps waiting for an event. */
    public boolean sleeping() { return sleeping; }

    /**
     * poll(2) on {@code ctx} for {@code events}: if an event is ready now, calls {@code onReady}
     * at once with the mask; otherwise sleeps and calls it when a later poll finds one.
     */
    public void poll(EventfdCtx ctx, int events, IntConsumer onReady) {
        poll(ctx, events, onReady, 0);
    }

    /**
     * As {@link #poll(EventfdCtx, int, IntConsumer)}, but the task busy-polls for {@code spinNs}
     * before it sleeps: a wakeup within that window costs {@code thread.poll_wakeup} instead of
     * the task's wake-up cost and counts as polled.
     */
    public void poll(EventfdCtx ctx, int events, IntConsumer onReady, long spinNs) {
        spinStart = env.sim().now();
        spinUntil = spinNs > 0 ? spinStart + spinNs : Long.MIN_VALUE;
        if (sleeping) {
            throw new IllegalStateException(task.comm() + " is already polling");
        }
        this.ctx = ctx;
        this.events = events;
        this.onReady = onReady;
        ctx.fileGet();
        pt.setQproc(qproc);
        pt.setKey(events | Poll.EPOLLERR | Poll.EPOLLHUP);
        int mask = ctx.poll(pt) & pt.key();
        pt.setQproc(null);
        finishOrSleep(mask);
    }

    /** Abandons a poll in progress (the task is killed or the run ends). */
    public void cancel() {
        if (sleeping) {
            ctx.wqh().removeWaitQueue(entry);
            sleeping = false;
            ctx.filePut();
        }
    }

    private void finishOrSleep(int mask) {
        if (mask != 0) {
            lastBlockNs = sleeping || woken ? env.sim().now() - spinStart : 0;
            sleeping = false;
            ctx.wqh().removeWaitQueue(entry);
            ctx.filePut();
            onReady.accept(mask);
        } else {
            sleeping = true;
            woken = false;
            if (cpus != null) {
                long now = env.sim().now();
                if (spinUntil > now && !cpus.othersWaiting(cpuThread)) {
                    spinEndEvent = env.sim().schedule(spinUntil - now, spinEndFn); // busy-polls, then sleeps
                } else {
                    spinUntil = Math.min(spinUntil, now);
                    cpus.block(cpuThread);
                }
            }
        }
    }

    /** The busy-poll window ran out: the task sleeps and gives up its CPU. */
    private void spinEnd() {
        spinEndEvent = -1;
        if (sleeping && !woken) {
            cpus.block(cpuThread);
        }
    }

    /** Another task waits for this one's CPU while it busy-polls: it stops polling and sleeps. */
    private void needResched() {
        if (spinEndEvent >= 0 && sleeping && !woken) {
            env.sim().cancel(spinEndEvent);
            spinEndEvent = -1;
            long now = env.sim().now();
            spinNs += now - spinStart;
            spinUntil = Long.MIN_VALUE;
            cpus.block(cpuThread);
        }
    }

    private void granted() {
        env.sim().schedule(env.charge(wakeupCost, random), resumeFn);
    }

    /** Models fs/select.c __pollwait: add our entry, non-exclusive, with the poll key. */
    private void pollwait(EventfdCtx file, WaitQueueHead wqh, PollTable p) {
        entry.setKey(p.key());
        wqh.addWaitQueue(entry);
    }

    /** Models fs/select.c pollwake: filter by key, then wake the task (1 if it was asleep). */
    private int pollwake(WaitQueueEntry e, int mode, int key) {
        if (key != 0 && (key & e.key()) == 0) {
            return 0;
        }
        if (!sleeping || woken) {
            return 0;
        }
        woken = true;
        long now = env.sim().now();
        if (now < spinUntil) {
            // seen by the busy-polling task: no scheduler wake-up
            polledWakeups++;
            wokenPolled = true;
            spinNs += now - spinStart;
            if (spinEndEvent >= 0) {
                env.sim().cancel(spinEndEvent);
                spinEndEvent = -1;
            }
            env.sim().schedule(env.charge(Cost.THREAD_POLL_WAKEUP, random), resumeFn);
        } else {
            wakeups++;
            if (spinUntil != Long.MIN_VALUE) {
                spinNs += spinUntil - spinStart;
            }
            if (cpus == null || cpus.wake(cpuThread)) {
                env.sim().schedule(env.charge(wakeupCost, random), resumeFn);
            } // else: granted() runs when the task gets a CPU
        }
        spinUntil = Long.MIN_VALUE;
        return 1;
    }

    /** The task runs again: poll once more without queueing (do_poll's later passes). */
    private void resume() {
        if (!sleeping) {
            return;
        }
        try (Kernel.Switch s = env.switchTo(task)) {
            resumeAsTask();
        }
    }

    private void resumeAsTask() {
        if (env.sim().tracing()) {
            env.sim().trace(new TaskWakeupEvent(env.sim().now(), task.comm(), task.cpu(),
                "poll on eventfd " + ctx.name() + " for " + Poll.render(events) + " polls again"
                        + (wokenPolled ? " (seen while busy-polling: no sleep)" : "")));
        }
        woken = false;
        wokenPolled = false;
        int mask = ctx.poll(pt) & pt.key();
        finishOrSleep(mask);
    }
}
