package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Tracepoint kvm_vcpu_wakeup (include/trace/events/kvm.h), emitted at the end of
 * virt/kvm/kvm_main.c kvm_vcpu_halt: {@code "%s time %lld ns, polling %s"} with
 * {@code wait}/{@code poll} and {@code valid}/{@code invalid}.
 *
 * @param ns      the halt's length, polling included ({@code halt_ns})
 * @param waited  the vCPU blocked (was scheduled out) before it woke
 * @param valid   vcpu_valid_wakeup
 */
public record KvmVcpuWakeup(long time, int vcpu, long ns, boolean waited, boolean valid) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_vcpu_wakeup"; }
    @Override public String function() { return "kvm_vcpu_halt"; }

    @Override
    public String fields() {
        return (waited ? "wait" : "poll") + " time " + ns + " ns, polling " + (valid ? "valid" : "invalid");
    }
}
