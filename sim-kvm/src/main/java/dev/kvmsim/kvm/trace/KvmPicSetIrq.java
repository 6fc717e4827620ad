package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_pic_set_irq (arch/x86/kvm/trace.h), emitted by kvm_pic_set_irq with the chip's ELCR and IMR. */
public record KvmPicSetIrq(long time, String task, int cpu, int chip, int pin, int elcr, int imr, boolean coalesced)
        implements TraceEvent {
    @Override public String event() { return "kvm_pic_set_irq"; }
    @Override public String function() { return "kvm_pic_set_irq"; }
    @Override public String fields() {
        return "chip " + chip + " pin " + pin + " ("
                + ((elcr & (1 << pin)) != 0 ? "level" : "edge")
                + ((imr & (1 << pin)) != 0 ? "|masked" : "") + ")"
                + (coalesced ? " (coalesced)" : "");
    }
}
