package dev.kvmsim.kvm.kernel;

import java.util.Objects;

/**
 * Models the parts of include/linux/sched.h struct task_struct the model reads: what the task
 * is ({@link TaskKind}), its identity (a pid, and for a vCPU thread the vCPU index), its
 * {@code comm} (the name ftrace prints, {@code vcpu0}, {@code kworker/0:1}, {@code vhost-1234})
 * and the CPU it runs on.
 *
 * <p>Tasks are created once, at set-up, by {@link Kernel#newTask}; switching {@code current}
 * between them allocates nothing. Immutable.
 */
public final class Task {
    private final TaskKind kind;
    private final int pid;
    private final int id;
    private final String comm;
    private final int cpu;

    Task(TaskKind kind, int pid, int id, String comm, int cpu) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.pid = pid;
        this.id = id;
        this.comm = Objects.requireNonNull(comm, "comm");
        this.cpu = cpu;
    }

    public TaskKind kind() { return kind; }

    /** The task's pid: unique in its {@link Kernel}, assigned in creation order. */
    public int pid() { return pid; }

    /** The vCPU index for a {@link TaskKind#VCPU} task; -1 for every other kind. */
    public int vcpuId() { return kind == TaskKind.VCPU ? id : -1; }

    /** The name ftrace prints ({@code comm}). */
    public String comm() { return comm; }

    /** The CPU the task runs on. */
    public int cpu() { return cpu; }

    public boolean is(TaskKind k) { return kind == k; }

    @Override
    public String toString() {
        return comm + "-" + pid + " (" + kind.label() + ", cpu " + cpu + ")";
    }
}
