package dev.kvmsim.cli.trace;

import dev.kvmsim.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the causal chain of each notification in a stream of trace events, for the Chrome
 * trace's flow arrows: guest write absorbed by an ioeventfd, then the host thread that the
 * eventfd wakes, then the irqfd woken by the host thread's signal, then the interrupt's
 * acceptance by the APIC.
 *
 * <p>The model records no cause ids, so chains are paired by order (documented rule):
 * <ol>
 * <li>start ("s"): an {@code ioeventfd_write} step on a vCPU task opens a flow;</li>
 * <li>host ("t"): the next step of a host thread (a task that is neither a vCPU nor a kworker)
 *     takes over every flow opened before it and not yet taken, since one wake-up of the host
 *     thread serves every kick the eventfd counter has accumulated;</li>
 * <li>irqfd ("t"): the next {@code irqfd_wakeup} takes over every flow a host thread holds;</li>
 * <li>end ("f"): the next {@code kvm_apic_accept_irq} / {@code kvm_apicv_accept_irq} (the
 *     LAPIC accepts the vector) ends every flow an irqfd holds.</li>
 * </ol>
 * A kick that coalesces with an earlier one shares its host wake-up, its irqfd and its
 * injection, exactly as the counter and the IRR bit merge them in the kernel. Memory: the flows
 * in flight (bounded by the kicks not yet answered).
 */
public final class NotificationFlows {
    /** Receives one flow event: phase ("s", "t", "f"), flow id, the event it binds to. */
    @FunctionalInterface
    public interface Emitter {
        void emit(String phase, long id, TraceEvent at);
    }

    private final Emitter out;
    private final List<Long> atVcpu = new ArrayList<>();
    private final List<Long> atHost = new ArrayList<>();
    private final List<Long> atIrqfd = new ArrayList<>();
    private long nextId = 1;

    public NotificationFlows(Emitter out) {
        this.out = out;
    }

    public void accept(TraceEvent e) {
        String task = e.task();
        boolean vcpu = TaskIds.vcpuIndex(task) >= 0;
        if (vcpu && e.function().equals("ioeventfd_write")) {
            long id = nextId++;
            out.emit("s", id, e);
            atVcpu.add(id);
        } else if (!vcpu && !task.startsWith("kworker") && !atVcpu.isEmpty()
                && !e.function().equals("irqfd_wakeup")) {
            move(atVcpu, atHost, "t", e);
        }
        if (e.function().equals("irqfd_wakeup") || e.event().equals("irqfd_wakeup")) {
            move(atHost, atIrqfd, "t", e);
        }
        if (e.event().equals("kvm_apic_accept_irq") || e.event().equals("kvm_apicv_accept_irq")) {
            for (long id : atIrqfd) {
                out.emit("f", id, e);
            }
            atIrqfd.clear();
        }
    }

    private void move(List<Long> from, List<Long> to, String phase, TraceEvent e) {
        for (long id : from) {
            out.emit(phase, id, e);
            to.add(id);
        }
        from.clear();
    }

    /** Flows started so far. */
    public long started() {
        return nextId - 1;
    }
}
