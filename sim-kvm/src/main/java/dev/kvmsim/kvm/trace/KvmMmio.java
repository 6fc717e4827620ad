package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_mmio (include/trace/events/kvm.h), emitted by write_mmio before dispatch. */
public record KvmMmio(long time, int vcpu, String type, int len, long gpa, long val) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_mmio"; }
    @Override public String function() { return "write_mmio"; }

    @Override
    public String fields() {
        return String.format("mmio %s len %d gpa 0x%x val 0x%x", type, len, gpa, val);
    }
}
