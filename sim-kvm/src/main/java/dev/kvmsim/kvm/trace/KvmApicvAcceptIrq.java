package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_apicv_accept_irq (arch/x86/kvm/trace.h), emitted by vmx_deliver_interrupt when the interrupt is posted (APICv). */
public record KvmApicvAcceptIrq(long time, String task, int cpu, int apicid, int deliveryMode, boolean level, int vector)
        implements TraceEvent {
    @Override public String event() { return "kvm_apicv_accept_irq"; }
    @Override public String function() { return "vmx_deliver_interrupt"; }
    @Override public String fields() {
        return "apicid " + Integer.toHexString(apicid) + " vec " + vector + " ("
                + KvmDeliverMode.name(deliveryMode >> 8) + "|" + (level ? "level" : "edge") + ")";
    }
}
