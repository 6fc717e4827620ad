package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_exit (arch/x86/kvm/trace.h, emitted by vmx_handle_exit). */
public record KvmExit(long time, int vcpu, String reason, long rip, long info1, long info2, int intrInfo,
                      int errorCode, long requests) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_exit"; }
    @Override public String function() { return "vmx_handle_exit"; }

    @Override
    public String fields() {
        return String.format("vcpu %d reason %s rip 0x%x info1 0x%016x info2 0x%016x intr_info 0x%08x error_code 0x%08x requests 0x%016x",
                vcpu, reason, rip, info1, info2, intrInfo, errorCode, requests);
    }
}
