package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_fast_mmio (arch/x86/kvm/trace.h), emitted by handle_ept_misconfig. */
public record KvmFastMmio(long time, int vcpu, long gpa) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_fast_mmio"; }
    @Override public String function() { return "handle_ept_misconfig"; }

    @Override
    public String fields() {
        return String.format("fast mmio at gpa 0x%x", gpa);
    }
}
