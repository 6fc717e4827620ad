package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Tracepoint kvm_msi_set_irq (arch/x86/kvm/trace.h), emitted by kvm_msi_to_lapic_irq.
 * {@code address} is address_lo, with address_hi in bits 63:32 only in x2APIC format.
 */
public record KvmMsiSetIrq(long time, String task, int cpu, long address, int data) implements TraceEvent {
    @Override public String event() { return "kvm_msi_set_irq"; }
    @Override public String function() { return "kvm_msi_to_lapic_irq"; }
    @Override public String fields() {
        long dst = ((address >>> 12) & 0xff) | ((address >>> 32) & 0xffffff00L);
        return "dst " + Long.toHexString(dst) + " vec " + (data & 0xff) + " ("
                + KvmDeliverMode.name(data >> 8) + "|"
                + ((address & (1 << 2)) != 0 ? "logical" : "physical") + "|"
                + ((data & (1 << 15)) != 0 ? "level" : "edge")
                + ((address & (1 << 3)) != 0 ? "|rh" : "") + ")";
    }
}
