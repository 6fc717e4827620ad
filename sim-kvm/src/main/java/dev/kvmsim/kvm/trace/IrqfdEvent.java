package dev.kvmsim.kvm.trace;

import dev.kvmsim.core.trace.TraceEvent;

/**
 * Model step of an irqfd (virt/kvm/eventfd.c has no irqfd tracepoints): assignment, a wakeup
 * and the path it took, an injection from the workqueue, a resampler ack, deactivation and
 * shutdown.
 *
 * @param gsi     the irqfd's GSI
 * @param eventfd the eventfd's name
 * @param action  what happened
 * @param value   the counter consumed (wakeup, shutdown) or the kvm_set_irq result (inject); else 0
 */
public record IrqfdEvent(long time, String task, int cpu, int gsi, String eventfd, Action action, long value)
    implements TraceEvent {
    /** The irqfd steps. */
    public enum Action {
        ASSIGN("kvm_irqfd_assign", "irqfd assigned: irqfd_wakeup hooked as the eventfd's priority exclusive waiter"),
        ASSIGN_PENDING("kvm_irqfd_assign", "the eventfd was already signalled: one injection scheduled (counter not consumed)"),
        WAKEUP_FAST("irqfd_wakeup", "single MSI route delivered at once by kvm_arch_set_irq_inatomic (no kvm_set_irq)"),
        WAKEUP_DEFERRED("irqfd_wakeup", "no atomic path (0 or several routes, or an irqchip pin): schedule_work(inject)"),
        WAKEUP_COLLAPSED("irqfd_wakeup", "inject work already pending: this signal collapses into it"),
        WAKEUP_DROPPED("irqfd_wakeup", "invalid MSI route: kvm_arch_set_irq_inatomic returned -EINVAL, nothing injected"),
        INJECT("irqfd_inject", "kvm_set_irq level 1 then 0 from source 0 (an edge pulse)"),
        INJECT_RESAMPLE("irqfd_inject", "kvm_set_irq level 1 from source 1 (the line stays asserted until EOI)"),
        RESAMPLE_ACK("irqfd_resampler_ack", "guest EOI: de-assert once (source 1) and signal every resamplefd"),
        DEACTIVATE("irqfd_deactivate", "removed from the VM's list; shutdown queued on kvm-irqfd-cleanup"),
        SHUTDOWN("irqfd_shutdown", "unhooked from the eventfd (counter consumed), inject flushed, references dropped");

        private final String function;
        private final String text;

        Action(String function, String text) {
            this.function = function;
            this.text = text;
        }
    }

    @Override public String event() { return "irqfd_" + action.name().toLowerCase(java.util.Locale.ROOT); }

    @Override public String function() { return action.function; }

    @Override public boolean tracepoint() { return false; }

    @Override public String fields() {
        String v = switch (action) {
            case WAKEUP_FAST, WAKEUP_DEFERRED, WAKEUP_COLLAPSED, WAKEUP_DROPPED, SHUTDOWN ->
                " (counter consumed: " + Long.toUnsignedString(value) + ")";
            case INJECT, INJECT_RESAMPLE -> " (kvm_set_irq returned " + value + ")";
            default -> "";
        };
        return "irqfd gsi " + Integer.toUnsignedString(gsi) + " eventfd " + eventfd + ": " + action.text + v;
    }
}
