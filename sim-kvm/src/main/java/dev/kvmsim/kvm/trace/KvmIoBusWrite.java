package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model-only record of one bus dispatch (virt/kvm/kvm_main.c __kvm_io_bus_write): how many of
 * the bus's ranges the bsearch and the forward walk found in range, which device accepted the
 * write and why the ones tried before it declined.
 */
public record KvmIoBusWrite(long time, int vcpu, String bus, long addr, int len, long value, int devCount,
                            int candidates, int acceptedIndex, String acceptedBy, String declined)
        implements TraceEvent {
    @Override public String task() { return "vcpu" + vcpu; }
    @Override public int cpu() { return vcpu; }
    @Override public String event() { return "kvm_io_bus_write"; }
    @Override public String function() { return "__kvm_io_bus_write"; }
    @Override public boolean tracepoint() { return false; }

    @Override
    public String fields() {
        StringBuilder s = new StringBuilder();
        s.append(bus).append(" write at 0x").append(Long.toHexString(addr)).append(" len ").append(len);
        if (len > 0) {
            s.append(" val 0x").append(Long.toHexString(value));
        }
        s.append(": ").append(candidates).append(" of ").append(devCount).append(" range(s) in range");
        if (!declined.isEmpty()) {
            s.append("; declined: ").append(declined);
        }
        if (acceptedIndex >= 0) {
            s.append("; accepted by #").append(acceptedIndex).append(' ').append(acceptedBy);
        } else {
            s.append("; no device accepted (-EOPNOTSUPP)");
        }
        return s.toString();
    }
}
