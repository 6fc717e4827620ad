package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_ioapic_delayed_eoi_inj (arch/x86/kvm/trace.h), emitted by kvm_ioapic_update_eoi_one on an EOI storm. */
public record KvmIoapicDelayedEoiInj(long time, String task, int cpu, long entry) implements TraceEvent {
    @Override public String event() { return "kvm_ioapic_delayed_eoi_inj"; }
    @Override public String function() { return "kvm_ioapic_update_eoi_one"; }
    @Override public String fields() {
        return "dst " + Long.toHexString((entry >>> 56) & 0xff) + " vec " + (entry & 0xff) + " ("
                + KvmDeliverMode.name((int) (entry >> 8)) + "|"
                + ((entry & (1 << 11)) != 0 ? "logical" : "physical") + "|"
                + ((entry & (1 << 15)) != 0 ? "level" : "edge")
                + ((entry & (1 << 16)) != 0 ? "|masked" : "") + ")";
    }
}
