package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Tracepoint kvm_halt_poll_ns (include/trace/events/kvm.h), emitted by virt/kvm/kvm_main.c
 * grow_halt_poll_ns and shrink_halt_poll_ns: {@code "vcpu %u: halt_poll_ns %u (%s %u)"}.
 *
 * @param grow   grow (true) or shrink
 * @param newNs  the new {@code vcpu->halt_poll_ns} (unsigned int)
 * @param oldNs  the previous one
 */
public record KvmHaltPollNs(long time, int vcpu, boolean grow, long newNs, long oldNs) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_halt_poll_ns"; }
    @Override public String function() { return grow ? "grow_halt_poll_ns" : "shrink_halt_poll_ns"; }

    @Override
    public String fields() {
        return "vcpu " + vcpu + ": halt_poll_ns " + newNs + " (" + (grow ? "grow" : "shrink") + " " + oldNs + ")";
    }
}
