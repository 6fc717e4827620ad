package dev.kvmsim.kvm.workqueue;

import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.kernel.TaskKind;
import dev.kvmsim.kvm.trace.TaskWakeupEvent;
import dev.kvmsim.kvm.trace.WorkqueueEvent;
import dev.kvmsim.kvm.trace.WorkqueueEvent.Action;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A workqueue with its kworkers. Models kernel/workqueue.c: queue_work sets the PENDING bit
 * and returns false without doing anything when it was already set; a worker takes items in
 * FIFO order and clears PENDING just before the function runs (process_one_work), so a
 * request made while the function runs queues it again. A sleeping worker wakes after
 * {@code wq.kworker_wakeup}; each item costs {@code wq.work_item} before its function runs.
 *
 * <p>Caveats: single simulation thread; one worker pool on CPU 0. The system workqueue lets
 * up to {@code maxActive} workers run at once (standing for concurrency management when a
 * work function sleeps); an ordered workqueue runs one item at a time, in queueing order.
 */
public final class Workqueue {
    /** Workers the system workqueue may run at once in this model. */
    public static final int SYSTEM_MAX_ACTIVE = 4;

    private final Kernel env;
    private final String name;
    private final int maxActive;
    private final String workerPrefix;
    private final int cpu;
    private final SplittableRandom random;
    private final ArrayDeque<Work> worklist = new ArrayDeque<>();
    private final List<Worker> workers = new ArrayList<>();
    private long nextSeq;
    private long executed;
    private List<FlushWaiter> flushers;

    private Workqueue(Kernel env, String name, int maxActive, String workerPrefix, int cpu) {
        this.env = env;
        this.name = name;
        this.maxActive = maxActive;
        this.workerPrefix = workerPrefix;
        this.cpu = cpu;
        this.random = env.sim().random("workqueue." + name);
    }

    /** The system workqueue {@code events} (system_wq, what schedule_work uses); kworkers {@code kworker/0:N}. */
    public static Workqueue system(Kernel env) {
        return new Workqueue(env, "events", SYSTEM_MAX_ACTIVE, "kworker/0:", 0);
    }

    /** Models alloc_ordered_workqueue(name, 0): one item at a time, in order; an unbound kworker. */
    public static Workqueue ordered(Kernel env, String name) {
        return new Workqueue(env, name, 1, "kworker/u2:", 0);
    }

    public String name() { return name; }

    /** Work functions run so far. */
    public long executed() { return executed; }

    /** Items waiting on the worklist. */
    public int queued() { return worklist.size(); }

    /** Models include/linux/workqueue.h schedule_work on the system workqueue (same as {@link #queueWork}). */
    public boolean scheduleWork(Work work) {
        return queueWork(work);
    }

    /**
     * Models kernel/workqueue.c queue_work: false (and nothing happens) if {@code work} is
     * already pending; else set PENDING, append it to the worklist, wake a worker; true.
     */
    public boolean queueWork(Work work) {
        if (work.pending) {
            trace(work, Action.ALREADY_PENDING);
            return false;
        }
        work.pending = true;
        work.onList = true;
        work.queuedSeq = ++nextSeq;
        worklist.addLast(work);
        trace(work, Action.QUEUED);
        wakeWorker();
        return true;
    }

    /**
     * Models kernel/workqueue.c flush_work: {@code done} runs once the instance queued now (if
     * any) and the one running now (if any) have finished; at once, returning false, when the
     * work is idle. Returns true when it had to wait.
     */
    public boolean flushWork(Work work, Runnable done) {
        long target = work.completedRuns + (work.inFlight ? 1 : 0) + (work.onList ? 1 : 0);
        if (target == work.completedRuns) {
            done.run();
            return false;
        }
        work.addFlush(target, done);
        return true;
    }

    /**
     * Models kernel/workqueue.c flush_workqueue: {@code done} runs once every item queued or
     * running when it was called has finished (at once if none).
     */
    public void flushWorkqueue(Runnable done) {
        long bound = nextSeq;
        int outstanding = worklist.size();
        for (Worker w : workers) {
            if (w.current != null) {
                outstanding++;
            }
        }
        if (outstanding == 0) {
            done.run();
            return;
        }
        if (flushers == null) {
            flushers = new ArrayList<>(2);
        }
        flushers.add(new FlushWaiter(bound, outstanding, done));
    }

    private void wakeWorker() {
        int active = 0;
        for (Worker w : workers) {
            if (w.state != Worker.IDLE) {
                active++;
            }
        }
        // An awake worker will find the item; wake another only while all are busy running.
        for (Worker w : workers) {
            if (w.state == Worker.WAKING || w.state == Worker.LOOKING) {
                return;
            }
        }
        if (active >= maxActive) {
            return;
        }
        Worker idle = null;
        for (Worker w : workers) {
            if (w.state == Worker.IDLE) {
                idle = w;
                break;
            }
        }
        if (idle == null) {
            idle = new Worker(env.newTask(TaskKind.KWORKER, workerPrefix + (workers.size() + 1), cpu));
            workers.add(idle);
        }
        idle.wake();
    }

    private void itemFinished(long seq) {
        executed++;
        if (flushers == null || flushers.isEmpty()) {
            return;
        }
        List<Runnable> ready = new ArrayList<>();
        for (int i = flushers.size() - 1; i >= 0; i--) {
            FlushWaiter f = flushers.get(i);
            if (seq <= f.bound && --f.outstanding == 0) {
                flushers.remove(i);
                ready.add(0, f.done);
            }
        }
        ready.forEach(Runnable::run);
    }

    private void trace(Work work, Action action) {
        if (env.sim().tracing()) {
            env.sim().trace(new WorkqueueEvent(env.sim().now(), env.current().comm(), env.current().cpu(), name, work.name(), action));
        }
    }

    private static final class FlushWaiter {
        final long bound;
        int outstanding;
        final Runnable done;

        FlushWaiter(long bound, int outstanding, Runnable done) {
            this.bound = bound;
            this.outstanding = outstanding;
            this.done = done;
        }
    }

    /** A kworker: sleeps when the worklist is empty, runs items one at a time. */
    private final class Worker {
        static final int IDLE = 0;
        static final int WAKING = 1;
        /** Awake, taking the next item (paying its per-item cost). */
        static final int LOOKING = 2;
        static final int RUNNING = 3;

        final Task task;
        // Bound once so the wake/execute/finish cycle allocates nothing.
        private final Runnable wokenFn = this::woken;
        private final Runnable executeFn = this::execute;
        private final Runnable finishFn = this::finish;
        int state = IDLE;
        Work current;
        long currentSeq;

        Worker(Task task) {
            this.task = task;
        }

        void wake() {
            state = WAKING;
            if (env.sim().tracing()) {
                Task waker = env.current();
                env.sim().trace(new WorkqueueEvent(env.sim().now(), waker.comm(), waker.cpu(), name, task.comm(), Action.WORKER_WAKEUP));
            }
            env.sim().schedule(env.charge(Cost.WQ_KWORKER_WAKEUP, random), wokenFn);
        }

        private void woken() {
            if (env.sim().tracing()) {
                env.sim().trace(new TaskWakeupEvent(env.sim().now(), task.comm(), task.cpu(), "kworker of workqueue " + name + " runs its worklist"));
            }
            next();
        }

        /** worker_thread: take the first item, or sleep. */
        private void next() {
            Work w = worklist.pollFirst();
            if (w == null) {
                state = IDLE;
                return;
            }
            state = LOOKING;
            w.onList = false;
            w.inFlight = true;
            current = w;
            currentSeq = w.queuedSeq;
            env.sim().schedule(env.charge(Cost.WQ_WORK_ITEM, random), executeFn);
        }

        /** process_one_work: clear PENDING, then call the function as this kworker. */
        private void execute() {
            state = RUNNING;
            Work w = current;
            w.pending = false;
            try (Kernel.Switch s = env.switchTo(task)) {
                trace(w, Action.EXECUTE_START);
                w.fn().run(w, finishFn);
            }
            // Another worker may be needed while this one runs a long (sleeping) function.
            if (state == RUNNING && !worklist.isEmpty()) {
                wakeWorker();
            }
        }

        private void finish() {
            Work w = current;
            try (Kernel.Switch s = env.switchTo(task)) {
                trace(w, Action.EXECUTE_END);
                current = null;
                w.inFlight = false;
                long seq = currentSeq;
                state = LOOKING;
                w.finished();
                itemFinished(seq);
            }
            if (state == LOOKING && current == null) {
                next();
            }
        }
    }
}
