package dev.kvmsim.cli.trace;

import java.util.HashMap;
import java.util.Map;

/**
 * Deterministic process ids for task names, as the ftrace and Chrome sinks print them.
 *
 * <p>Rule: a vCPU task {@code vcpuN} gets pid {@code 1000 + N} (so {@code vcpu0-1000} reads the
 * same in every run of every scenario); every other task (vhost workers, kworkers, VMM
 * iothreads) gets {@code 3000, 3001, ...} in the order of its first event. The simulation is
 * deterministic, so the order of first events, and with it every pid, is the same in every run
 * with the same seed. Not thread-safe (one simulation thread).
 */
public final class TaskIds {
    /** First pid of the vCPU tasks; 1024 vCPUs at most end below {@link #OTHER_BASE}. */
    static final int VCPU_BASE = 1000;
    /** First pid of the other tasks. */
    static final int OTHER_BASE = 3000;

    private final Map<String, Integer> ids = new HashMap<>();
    private int nextOther = OTHER_BASE;

    /** The pid of {@code task}, assigned at its first use. */
    public int pid(String task) {
        Integer id = ids.get(task);
        if (id == null) {
            id = assign(task);
            ids.put(task, id);
        }
        return id;
    }

    /** True when {@code task} has been given a pid already. */
    public boolean known(String task) {
        return ids.containsKey(task);
    }

    private int assign(String task) {
        if (task.startsWith("swapper/")) {
            return 0; // a CPU's idle task (sched_switch from idle): pid 0, as the kernel prints it
        }
        int vcpu = vcpuIndex(task);
        return vcpu >= 0 ? VCPU_BASE + vcpu : nextOther++;
    }

    /** The N of a {@code vcpuN} task name, or -1 for any other task. */
    public static int vcpuIndex(String task) {
        if (!task.startsWith("vcpu") || task.length() == 4 || task.length() > 8) {
            return -1;
        }
        for (int i = 4; i < task.length(); i++) {
            if (!Character.isDigit(task.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(task.substring(4));
    }
}
