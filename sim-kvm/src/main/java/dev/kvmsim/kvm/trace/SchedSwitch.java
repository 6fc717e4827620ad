package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Tracepoint sched_switch (include/trace/events/sched.h), emitted by __schedule:
 * {@code "prev_comm=%s prev_pid=%d prev_prio=%d prev_state=%s ==> next_comm=%s next_pid=%d next_prio=%d"};
 * the idle task is {@code swapper/N} (pid 0); every task is a normal one (prio 120).
 */
public record SchedSwitch(long time, int cpu, String prevComm, int prevPid, String prevState, String nextComm, int nextPid)
        implements TraceEvent {
    @Override public String task() { return prevComm; }
    @Override public String event() { return "sched_switch"; }
    @Override public String function() { return "__schedule"; }

    @Override
    public String fields() {
        return "prev_comm=" + prevComm + " prev_pid=" + prevPid + " prev_prio=120 prev_state=" + prevState
                + " ==> next_comm=" + nextComm + " next_pid=" + nextPid + " next_prio=120";
    }
}
