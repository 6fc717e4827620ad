package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_inj_virq (arch/x86/kvm/trace.h), emitted by vmx_inject_irq at entry. */
public record KvmInjVirq(long time, int vcpu, int vector, boolean soft, boolean reinjected) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_inj_virq"; }
    @Override public String function() { return "vmx_inject_irq"; }

    @Override
    public String fields() {
        return String.format("%s 0x%x%s", soft ? "Soft/INTn" : "IRQ", vector, reinjected ? " [reinjected]" : "");
    }
}
