package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_userspace_exit (include/trace/events/kvm.h), emitted when KVM_RUN returns. */
public record KvmUserspaceExit(long time, int vcpu, String reason, int code) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_userspace_exit"; }
    @Override public String function() { return "kvm_arch_vcpu_ioctl_run"; }

    @Override
    public String fields() {
        return "reason " + reason + " (" + code + ")";
    }
}
