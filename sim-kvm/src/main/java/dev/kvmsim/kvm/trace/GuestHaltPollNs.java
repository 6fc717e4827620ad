package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * The guest kernel's tracepoint guest_halt_poll_ns (include/trace/events/power.h), emitted by
 * drivers/cpuidle/governors/haltpoll.c adjust_poll_limit: {@code "halt_poll_ns %u (%s %u)"}.
 * A guest tracepoint: the host's ftrace does not see it, so it is shown as a model step.
 */
public record GuestHaltPollNs(long time, int vcpu, boolean grow, long newNs, long oldNs) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "guest_halt_poll_ns"; }
    @Override public String function() { return "adjust_poll_limit"; }
    @Override public boolean tracepoint() { return false; }

    @Override
    public String fields() {
        return "halt_poll_ns " + newNs + " (" + (grow ? "grow" : "shrink") + " " + oldNs + ")";
    }
}
