package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_pio (arch/x86/kvm/trace.h), emitted by emulator_pio_out before dispatch. */
public record KvmPio(long time, int vcpu, boolean in, int port, int size, int count, long val) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_pio"; }
    @Override public String function() { return in ? "emulator_pio_in" : "emulator_pio_out"; }

    @Override
    public String fields() {
        // "pio_%s at 0x%x size %d count %d val 0x%x %s": the last %s is "(...)" for count > 1, else ""
        return String.format("pio_%s at 0x%x size %d count %d val 0x%x %s",
                in ? "read" : "write", port, size, count, val & 0xffffffffL, count > 1 ? "(...)" : "");
    }
}
