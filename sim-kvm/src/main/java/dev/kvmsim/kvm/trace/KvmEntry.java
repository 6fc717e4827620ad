package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_entry (arch/x86/kvm/trace.h, emitted by vcpu_enter_guest). */
public record KvmEntry(long time, int vcpu, long rip, int intrInfo, int errorCode, boolean immediateExit)
        implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_entry"; }
    @Override public String function() { return "vcpu_enter_guest"; }

    @Override
    public String fields() {
        return String.format("vcpu %d, rip 0x%x intr_info 0x%08x error_code 0x%08x%s",
                vcpu, rip, intrInfo, errorCode, immediateExit ? "[immediate exit]" : "");
    }
}
