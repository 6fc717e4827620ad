package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_apic_accept_irq (arch/x86/kvm/trace.h), always emitted by __apic_accept_irq; {@code deliveryMode} in APIC_DM_* form (mode &lt;&lt; 8). */
public record KvmApicAcceptIrq(long time, String task, int cpu, int apicid, int deliveryMode, boolean level, int vector)
        implements TraceEvent {
    @Override public String event() { return "kvm_apic_accept_irq"; }
    @Override public String function() { return "__apic_accept_irq"; }
    @Override public String fields() {
        return "apicid " + Integer.toHexString(apicid) + " vec " + vector + " ("
                + KvmDeliverMode.name(deliveryMode >> 8) + "|" + (level ? "level" : "edge") + ")";
    }
}
