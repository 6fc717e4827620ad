package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.trace.TraceTask;
import java.util.SplittableRandom;

/**
 * What the simulated kernel shares across one run: the simulation, the cost model, the
 * running task ({@code current}: its name and CPU, kept in the {@link TraceTask} that every
 * trace emitter of the VM reads, and its {@code in_eventfd} bit), and the eventfd id
 * allocator ({@code eventfd_ida}).
 *
 * <p>Caveats: single simulation thread. {@code current} is whatever task the code now
 * executing stands for; a component that runs code on behalf of a task (a kworker, a vCPU,
 * a host thread) sets it with {@link #setCurrent} and restores the previous one.
 */
public final class KernelEnv {
    private final Simulation sim;
    private final CostModel costs;
    private final SplittableRandom wakeRandom;
    private final TraceTask current;
    private boolean inEventfd;
    private int nextEventfdId;

    public KernelEnv(Simulation sim, CostModel costs) {
        this(sim, costs, new TraceTask());
    }

    /** An environment whose running task is kept in {@code current} (shared with the irqchip's emitters). */
    public KernelEnv(Simulation sim, CostModel costs, TraceTask current) {
        this.sim = sim;
        this.costs = costs;
        this.current = current;
        this.wakeRandom = sim.random("sched.wakeup");
    }

    /** The holder of the running task's name and CPU. */
    public TraceTask traceTask() { return current; }

    public Simulation sim() { return sim; }

    public CostModel costs() { return costs; }

    /** One draw of {@code cost} from the caller's random stream. */
    public long draw(Cost cost, SplittableRandom r) {
        return costs.draw(cost, r);
    }

    /** The stream used for the wake-up latency of tasks blocked in read(2)/write(2)/poll(2). */
    SplittableRandom wakeRandom() { return wakeRandom; }

    /** The running task's name ({@code vcpu0}, {@code kworker/0:1}, {@code vhost-1234}). */
    public String currentTask() { return current.task(); }

    public int currentCpu() { return current.cpu(); }

    /** Makes {@code task} on {@code cpu} the running task; returns nothing, callers restore with the same call. */
    public void setCurrent(String task, int cpu) {
        current.set(task, cpu);
    }

    /** {@code current->in_eventfd}. */
    public boolean inEventfd() { return inEventfd; }

    void setInEventfd(boolean v) { inEventfd = v; }

    /** Models fs/eventfd.c eventfd_signal_allowed: {@code !current->in_eventfd}. */
    public boolean eventfdSignalAllowed() { return !inEventfd; }

    /** ida_alloc(&eventfd_ida): the lowest free id; ids are not reused in a simulation run. */
    int allocEventfdId() { return nextEventfdId++; }
}
