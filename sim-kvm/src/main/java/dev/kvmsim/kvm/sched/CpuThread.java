package dev.kvmsim.kvm.sched;

import dev.kvmsim.kvm.kernel.Task;

/**
 * A task as the scheduler sees it: its allowed CPUs, where it is, whether it runs, and how long it
 * ran and waited. Made by {@link HostCpus#register}.
 */
public final class CpuThread {
    /** What the scheduler does with the thread. */
    public enum State { SLEEPING, RUNNABLE, RUNNING }

    final Task task;
    final long allowed;
    final Runnable onGranted;
    Runnable onNeedResched;
    State state = State.SLEEPING;
    int cpu;
    long since;
    long runNs;
    long waitNs;
    long switches;

    CpuThread(Task task, long allowed, int firstCpu, Runnable onGranted) {
        this.task = task;
        this.allowed = allowed;
        this.cpu = firstCpu;
        this.onGranted = onGranted;
    }

    public Task task() { return task; }

    public State state() { return state; }

    /** The CPU it runs on, or last ran on. */
    public int cpu() { return cpu; }

    /** Time spent running (on a CPU), up to the last state change. */
    public long runNs() { return runNs; }

    /** Time spent runnable but waiting for a CPU, up to the last state change. */
    public long waitNs() { return waitNs; }

    /** Times it was switched in after waiting in a run queue. */
    public long delayedSwitches() { return switches; }

    /** Called when another thread is queued behind this running one (need_resched): a polling loop stops. */
    public void setOnNeedResched(Runnable r) { this.onNeedResched = r; }
}
