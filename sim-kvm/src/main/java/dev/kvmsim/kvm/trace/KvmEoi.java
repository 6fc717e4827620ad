package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_eoi (arch/x86/kvm/trace.h), emitted by apic_set_eoi / kvm_apic_set_eoi_accelerated; vector -1 when no ISR bit was set. */
public record KvmEoi(long time, String task, int cpu, int apicid, int vector) implements TraceEvent {
    @Override public String event() { return "kvm_eoi"; }
    @Override public String function() { return "apic_set_eoi"; }
    @Override public String fields() {
        return "apicid " + Integer.toHexString(apicid) + " vector " + vector;
    }
}
