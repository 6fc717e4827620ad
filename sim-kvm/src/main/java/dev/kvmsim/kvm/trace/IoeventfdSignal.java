package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Model-only: a guest write matched an ioeventfd (ioeventfd_write), which signals its eventfd. */
public record IoeventfdSignal(long time, int vcpu, String bus, long addr, int len, boolean wildcard, long datamatch,
                              String eventfd) implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "ioeventfd_write"; }
    @Override public String function() { return "ioeventfd_write"; }
    @Override public boolean tracepoint() { return false; }

    @Override
    public String fields() {
        return "ioeventfd on " + bus + " at 0x" + Long.toHexString(addr) + " len " + len
                + (len == 0 ? " (any length)" : "")
                + (wildcard ? " (wildcard)" : " (datamatch 0x" + Long.toHexString(datamatch) + ")")
                + " matched: eventfd_signal(" + eventfd + "), write consumed in the kernel";
    }
}
