package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Model-only: the guest's interrupt handler for {@code vector} starts (and will write EOI). */
public record GuestIrqHandler(long time, int vcpu, int vector, boolean posted) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "guest_irq_handler"; }
    @Override public boolean tracepoint() { return false; }

    @Override
    public String fields() {
        return String.format("guest handler for vector 0x%x runs%s; it writes EOI when done", vector,
                posted ? " (posted interrupt, delivered without a VM exit)" : "");
    }
}
