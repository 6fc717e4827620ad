package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/** Tracepoint kvm_ack_irq (include/trace/events/kvm.h), emitted by kvm_notify_acked_irq. */
public record KvmAckIrq(long time, String task, int cpu, int irqchip, int pin) implements TraceEvent {
    @Override public String event() { return "kvm_ack_irq"; }
    @Override public String function() { return "kvm_notify_acked_irq"; }
    @Override public String fields() {
        String chip = switch (irqchip) {
            case 0 -> "PIC master";
            case 1 -> "PIC slave";
            case 2 -> "IOAPIC";
            default -> Integer.toString(irqchip);
        };
        return "irqchip " + chip + " pin " + pin;
    }
}
