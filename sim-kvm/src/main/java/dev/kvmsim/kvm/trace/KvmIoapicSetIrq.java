package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_ioapic_set_irq (arch/x86/kvm/trace.h), emitted by ioapic_set_irq; {@code entry} is the redirection entry as it was before the call. */
public record KvmIoapicSetIrq(long time, String task, int cpu, long entry, int pin, boolean coalesced) implements TraceEvent {
    @Override public String event() { return "kvm_ioapic_set_irq"; }
    @Override public String function() { return "ioapic_set_irq"; }
    @Override public String fields() {
        return "pin " + pin + " dst " + Long.toHexString((entry >>> 56) & 0xff) + " vec " + (entry & 0xff) + " ("
                + KvmDeliverMode.name((int) (entry >> 8)) + "|"
                + ((entry & (1 << 11)) != 0 ? "logical" : "physical") + "|"
                + ((entry & (1 << 15)) != 0 ? "level" : "edge")
                + ((entry & (1 << 16)) != 0 ? "|masked" : "") + ")"
                + (coalesced ? " (coalesced)" : "");
    }
}
