package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step of kernel/workqueue.c: a work item queued (or found already pending), a kworker
 * woken, a work function started or finished.
 *
 * @param workqueue the workqueue's name ({@code events}, {@code kvm-irqfd-cleanup})
 * @param work      the work item's name
 * @param action    what happened
 */
public record WorkqueueEvent(long time, String task, int cpu, String workqueue, String work, Action action)
    implements TraceEvent {
    /** The steps this event reports. */
    public enum Action {
        QUEUED("queue_work", "queued"),
        ALREADY_PENDING("queue_work", "already pending: nothing queued, this request collapses into the pending run"),
        WORKER_WAKEUP("wake_up_worker", "kworker woken to run the worklist"),
        EXECUTE_START("process_one_work", "pending bit cleared, work function starts"),
        EXECUTE_END("process_one_work", "work function done");

        private final String function;
        private final String text;

        Action(String function, String text) {
            this.function = function;
            this.text = text;
        }
    }

    @Override public String event() { return "workqueue_" + action.name().toLowerCase(java.util.Locale.ROOT); }

    @Override public String function() { return action.function; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        return "workqueue " + workqueue + " work " + work + ": " + action.text;
    }
}
