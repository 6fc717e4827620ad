package dev.kvmsim.kvm.kernel;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.cost.CostModel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What the simulated kernel shares across one run: the clock (the {@link Simulation}), the
 * cost model, the random streams, {@code current} (the {@link Task} the code now executing
 * stands for, with its {@code in_eventfd} bit) and the eventfd id allocator
 * ({@code eventfd_ida}).
 *
 * <p>Switching tasks: code that runs on behalf of a task (a kworker executing an item, a vCPU
 * handling an exit, a host thread calling into the kernel) does it in a scope
 * <pre>{@code
 * try (Kernel.Switch s = kernel.switchTo(task)) {
 *     ... // current() == task; emitters and charges see it
 * }           // the previous task is current again
 * }</pre>
 * Scopes nest; the token is one object per kernel, so a switch allocates nothing.
 *
 * <p>Spending time: {@link #charge} is the one door through which a mechanism spends
 * simulated time; it draws the named cost on the caller's stream.
 *
 * <p>Caveats: single simulation thread; a scope must be closed on the path that opened it
 * (try-with-resources), else {@link Switch#close} restores the wrong task.
 */
public final class Kernel {
    /** The pid of vCPU thread N is {@code VCPU_PID_BASE + N} (ftrace prints {@code vcpu0-1000}). */
    public static final int VCPU_PID_BASE = 1000;
    /** The pids of the other tasks start here, in creation order. */
    public static final int OTHER_PID_BASE = 3000;

    private final Simulation sim;
    private final CostModel costs;
    private final SplittableRandom wakeRandom;
    private final Task vmm;
    private final Switch token = new Switch();
    private Task current;
    private Task[] saved = new Task[8];
    private int depth;
    private int nextPid = OTHER_PID_BASE;
    private boolean inEventfd;
    private int nextEventfdId;

    /** A kernel on {@code sim} with the costs of {@code costs}; the VMM thread is current. */
    public Kernel(Simulation sim, CostModel costs) {
        this.sim = sim;
        this.costs = costs;
        this.wakeRandom = sim.random("sched.wakeup");
        this.vmm = newTask(TaskKind.VMM, "vmm", 0);
        this.current = vmm;
    }

    public Simulation sim() { return sim; }

    public CostModel costs() { return costs; }

    /** Current simulated time in nanoseconds. */
    public long now() { return sim.now(); }

    /** The named random stream (see {@link Simulation#random}). */
    public SplittableRandom random(String name) { return sim.random(name); }

    // ---- tasks ----

    /** A new task of {@code kind} named {@code comm} on {@code cpu}, with the next free pid. */
    public Task newTask(TaskKind kind, String comm, int cpu) {
        if (kind == TaskKind.VCPU) {
            throw new IllegalArgumentException("a vCPU thread is made by newVcpuTask, which gives it its index");
        }
        return new Task(kind, nextPid++, -1, comm, cpu);
    }

    /** The thread of vCPU {@code id} ({@code vcpuN}, on CPU {@code id}, pid {@value #VCPU_PID_BASE} + id). */
    public Task newVcpuTask(int id) {
        return new Task(TaskKind.VCPU, VCPU_PID_BASE + id, id, "vcpu" + id, id);
    }

    /** The VMM's main thread ({@code vmm}), current when nothing else runs. */
    public Task vmm() { return vmm; }

    /** {@code current}: the task the code now executing stands for. */
    public Task current() { return current; }

    /** Makes {@code task} current until the returned token is closed. Allocates nothing. */
    public Switch switchTo(Task task) {
        if (depth == saved.length) {
            saved = Arrays.copyOf(saved, depth * 2);
        }
        saved[depth++] = current;
        current = task;
        return token;
    }

    /** The token of {@link #switchTo}: closing it makes the previous task current again. */
    public final class Switch implements AutoCloseable {
        private Switch() { }

        @Override
        public void close() {
            if (depth == 0) {
                throw new IllegalStateException("task switch closed twice: no task to restore");
            }
            current = saved[--depth];
            saved[depth] = null;
        }
    }

    // ---- time ----

    /** Spends one draw of {@code cost} on the caller's stream {@code r}: the nanoseconds it takes. */
    public long charge(Cost cost, SplittableRandom r) {
        return costs.draw(cost, r);
    }

    /** The stream used for the wake-up latency of tasks blocked in read(2)/write(2)/poll(2). */
    public SplittableRandom wakeRandom() { return wakeRandom; }

    // ---- eventfd ----

    /** {@code current->in_eventfd}. */
    public boolean inEventfd() { return inEventfd; }

    /** Sets {@code current->in_eventfd} (fs/eventfd.c eventfd_signal_mask and the read paths). */
    public void setInEventfd(boolean v) { inEventfd = v; }

    /** Models fs/eventfd.c eventfd_signal_allowed: {@code !current->in_eventfd}. */
    public boolean eventfdSignalAllowed() { return !inEventfd; }

    /** ida_alloc(&eventfd_ida): the lowest free id; ids are not reused in a simulation run. */
    public int allocEventfdId() { return nextEventfdId++; }
}
