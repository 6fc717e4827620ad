package dev.kvmsim.kvm.trace;

/**
 * The task and CPU the model is currently "running on", as ftrace would label an event
 * ({@code vcpu0}, {@code kworker/0:1}, {@code qemu}). One per VM; whoever starts a step
 * (a vCPU run, a kworker, a host thread, an ioctl) sets it, and emitters read it.
 *
 * <p>Caveat: single simulation thread; it is a plain mutable holder.
 */
public final class TraceTask {
    private String task = "vmm";
    private int cpu;

    public String task() { return task; }

    public int cpu() { return cpu; }

    /** Sets the current task and CPU. */
    public void set(String task, int cpu) {
        this.task = task;
        this.cpu = cpu;
    }
}
