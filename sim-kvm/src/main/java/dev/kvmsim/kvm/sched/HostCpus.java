package dev.kvmsim.kvm.sched;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.trace.SchedSwitch;
import dev.kvmsim.kvm.trace.SchedWaking;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's physical CPUs with one FIFO run queue each: a waking thread runs on an idle CPU of
 * its set (its previous CPU first, then the lowest-numbered idle one); when all of them are busy
 * it waits in the queue of the allowed CPU with the fewest waiters (ties: its previous CPU, then
 * the lowest number), and runs when the thread there blocks. A running thread is told when
 * another is queued behind it ({@link CpuThread#setOnNeedResched}): that is need_resched /
 * !single_task_running, which ends KVM's halt polling (include/linux/kvm_host.h
 * kvm_vcpu_can_poll) and a busy-polling host thread.
 *
 * <p>What this simplifies against CFS/EEVDF (kernel/sched/fair.c): no virtual runtime, weights,
 * or lag; no wakeup preemption and no time slice (a thread runs until it blocks, so a thread that
 * never blocks starves its queue); no load balancing or migration after the wakeup placement; no
 * wake-up latency beyond the model's named wake-up costs. Threads that only poll and threads
 * that block quickly, which is what a notification path is made of, are served in order.
 *
 * <p>Caveats: single simulation thread; at most 64 CPUs (a CPU set is a bit mask).
 */
public final class HostCpus {
    public static final int MAX_CPUS = 64;

    private final Simulation sim;
    private final int n;
    private final CpuThread[] current;
    private final List<ArrayDeque<CpuThread>> queues = new ArrayList<>();
    private final List<CpuThread> threads = new ArrayList<>();

    public HostCpus(Simulation sim, int n) {
        if (n < 1 || n > MAX_CPUS) {
            throw new IllegalArgumentException("host CPUs must be 1.." + MAX_CPUS + ": " + n);
        }
        this.sim = sim;
        this.n = n;
        this.current = new CpuThread[n];
        for (int i = 0; i < n; i++) {
            queues.add(new ArrayDeque<>());
        }
    }

    public int cpus() { return n; }

    /** Every CPU: a mask of all of them. */
    public long allCpus() {
        return n == 64 ? -1L : (1L << n) - 1;
    }

    /**
     * {@code task} on the CPUs of {@code allowed} (a bit mask), asleep; {@code onGranted} runs
     * (as a scheduled event) when the thread gets a CPU after it had to wait.
     */
    public CpuThread register(Task task, long allowed, Runnable onGranted) {
        long valid = allowed & allCpus();
        if (valid == 0) {
            throw new IllegalArgumentException(task.comm() + ": no allowed CPU among " + n);
        }
        CpuThread t = new CpuThread(task, valid, Long.numberOfTrailingZeros(valid), onGranted);
        t.since = sim.now();
        threads.add(t);
        return t;
    }

    public List<CpuThread> threads() { return List.copyOf(threads); }

    /**
     * Models try_to_wake_up: the thread becomes runnable; true when it runs at once (an idle CPU
     * of its set), false when it waits (its {@code onGranted} will run when it gets the CPU).
     * Waking a thread that is not asleep changes nothing (true if it runs).
     */
    public boolean wake(CpuThread t) {
        if (t.state != CpuThread.State.SLEEPING) {
            return t.state == CpuThread.State.RUNNING;
        }
        int cpu = idleCpu(t);
        if (sim.tracing()) {
            sim.trace(new SchedWaking(sim.now(), t.task.comm(), t.task.pid(), cpu >= 0 ? cpu : queueFor(t)));
        }
        if (cpu >= 0) {
            switchIn(cpu, null, t);
            return true;
        }
        int q = queueFor(t);
        account(t);
        t.state = CpuThread.State.RUNNABLE;
        t.cpu = q;
        queues.get(q).addLast(t);
        CpuThread running = current[q];
        if (running != null && running.onNeedResched != null) {
            running.onNeedResched.run();
        }
        return false;
    }

    /** The running thread blocks (schedule() with a sleeping state): its CPU goes to the next waiter. */
    public void block(CpuThread t) {
        if (t.state != CpuThread.State.RUNNING) {
            return;
        }
        int cpu = t.cpu;
        account(t);
        t.state = CpuThread.State.SLEEPING;
        current[cpu] = null;
        CpuThread next = queues.get(cpu).pollFirst();
        if (sim.tracing()) {
            sim.trace(new SchedSwitch(sim.now(), cpu, t.task.comm(), t.task.pid(), "S",
                    next == null ? "swapper/" + cpu : next.task.comm(), next == null ? 0 : next.task.pid()));
        }
        if (next != null) {
            switchIn(cpu, t, next);
            next.switches++;
            sim.schedule(0, next.onGranted);
        }
    }

    /** Another thread waits for {@code t}'s CPU (need_resched / !single_task_running). */
    public boolean othersWaiting(CpuThread t) {
        return t.state == CpuThread.State.RUNNING && !queues.get(t.cpu).isEmpty();
    }

    private void switchIn(int cpu, CpuThread prev, CpuThread t) {
        account(t);
        t.state = CpuThread.State.RUNNING;
        t.cpu = cpu;
        current[cpu] = t;
        if (prev == null && sim.tracing()) {
            sim.trace(new SchedSwitch(sim.now(), cpu, "swapper/" + cpu, 0, "R", t.task.comm(), t.task.pid()));
        }
    }

    /** Adds the time since the last change to the thread's run or wait total. */
    private void account(CpuThread t) {
        long d = sim.now() - t.since;
        if (t.state == CpuThread.State.RUNNING) {
            t.runNs += d;
        } else if (t.state == CpuThread.State.RUNNABLE) {
            t.waitNs += d;
        }
        t.since = sim.now();
    }

    /** An idle CPU of the thread's set: its previous CPU, else the lowest-numbered; -1 when none. */
    private int idleCpu(CpuThread t) {
        if ((t.allowed & (1L << t.cpu)) != 0 && current[t.cpu] == null && queues.get(t.cpu).isEmpty()) {
            return t.cpu;
        }
        for (int c = 0; c < n; c++) {
            if ((t.allowed & (1L << c)) != 0 && current[c] == null && queues.get(c).isEmpty()) {
                return c;
            }
        }
        return -1;
    }

    /** The allowed CPU with the fewest waiters (ties: the previous CPU, then the lowest number). */
    private int queueFor(CpuThread t) {
        int best = -1;
        for (int c = 0; c < n; c++) {
            if ((t.allowed & (1L << c)) == 0) {
                continue;
            }
            if (best < 0 || queues.get(c).size() < queues.get(best).size()
                    || queues.get(c).size() == queues.get(best).size() && c == t.cpu) {
                best = c;
            }
        }
        return best;
    }

    /** A thread's run time including the current stretch. */
    public long runNs(CpuThread t) {
        return t.runNs + (t.state == CpuThread.State.RUNNING ? sim.now() - t.since : 0);
    }

    /** A thread's runnable-wait time including the current stretch. */
    public long waitNs(CpuThread t) {
        return t.waitNs + (t.state == CpuThread.State.RUNNABLE ? sim.now() - t.since : 0);
    }
}
