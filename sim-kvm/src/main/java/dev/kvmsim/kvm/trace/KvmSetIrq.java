package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_set_irq (include/trace/events/kvm.h), emitted first by virt/kvm/irqchip.c kvm_set_irq. */
public record KvmSetIrq(long time, String task, int cpu, int gsi, int level, int source) implements TraceEvent {
    @Override public String event() { return "kvm_set_irq"; }
    @Override public String function() { return "kvm_set_irq"; }
    @Override public String fields() {
        return "gsi " + Integer.toUnsignedString(gsi) + " level " + level + " source " + source;
    }
}
