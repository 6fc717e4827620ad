package dev.kvmsim.cli.trace;

import dev.kvmsim.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the causal chain of each notification in a stream of trace events, for the Chrome
 * trace's flow arrows.
 *
 * <p>The model records no cause ids, so the chain is followed by eventfd name and paired by
 * order (the documented rule):
 * <ol>
 * <li>start ("s"): an {@code eventfd_signal} on a vCPU task during a bus write that an
 *     ioeventfd accepted (after a {@code kvm_io_bus_write} step naming an accepting device or an
 *     {@code ioeventfd_write} step, before the vCPU's next {@code kvm_entry}) opens a flow
 *     parked on that eventfd;</li>
 * <li>host thread ("t"): a host thread's read of eventfd E ({@code host_thread_read}) takes
 *     every flow parked on E: one read consumes every kick the counter accumulated;</li>
 * <li>answer ("t"): the thread's signal of eventfd C ({@code host_thread_signal}) parks the
 *     flows it holds on C;</li>
 * <li>irqfd ("t"): an {@code irqfd_wakeup} step whose fields name C takes every flow parked on
 *     C (with the kworker's {@code irqfd_inject} as a further step when the injection is
 *     deferred to the workqueue);</li>
 * <li>end ("f"): the next {@code kvm_apic_accept_irq} / {@code kvm_apicv_accept_irq} (the LAPIC
 *     accepts the vector) ends every flow an irqfd holds; when no irqfd step was recorded, an
 *     acceptance on the task that signalled C ends the flows parked on C (the synchronous
 *     irqfd path runs in the signaller's context).</li>
 * </ol>
 * Kicks that coalesce share the wake-up, the irqfd and the injection, as the eventfd counter
 * and the IRR bit merge them in the kernel. Memory: the flows in flight.
 */
public final class NotificationFlows {
    /** Receives one flow event: phase ("s", "t", "f"), flow id, the event it binds to. */
    @FunctionalInterface
    public interface Emitter {
        void emit(String phase, long id, TraceEvent at);
    }

    private final Emitter out;
    private final Map<String, Boolean> ioeventfdWrite = new HashMap<>();
    private final Map<String, List<Long>> atEventfd = new HashMap<>();
    private final Map<String, String> signalledBy = new HashMap<>();
    private final Map<String, List<Long>> atThread = new HashMap<>();
    private final List<Long> atIrqfd = new ArrayList<>();
    private long nextId = 1;

    public NotificationFlows(Emitter out) {
        this.out = out;
    }

    public void accept(TraceEvent e) {
        String task = e.task();
        boolean vcpu = TaskIds.vcpuIndex(task) >= 0;
        switch (e.event()) {
            case "kvm_io_bus_write" -> {
                if (e.fields().contains("accepted by")) {
                    ioeventfdWrite.put(task, true);
                }
            }
            case "kvm_entry" -> ioeventfdWrite.remove(task);
            case "eventfd_signal" -> {
                if (vcpu && ioeventfdWrite.containsKey(task)) {
                    long id = nextId++;
                    out.emit("s", id, e);
                    park(eventfdOfSignal(e.fields()), task, List.of(id));
                }
            }
            case "host_thread_read" -> {
                List<Long> flows = atEventfd.remove(TraceFields.word(e.fields(), "from eventfd"));
                if (flows != null) {
                    step(flows, e);
                    atThread.computeIfAbsent(task, k -> new ArrayList<>()).addAll(flows);
                }
            }
            case "host_thread_signal" -> {
                List<Long> flows = atThread.remove(task);
                if (flows != null) {
                    step(flows, e);
                    park(TraceFields.word(e.fields(), "signals eventfd"), task, flows);
                }
            }
            case "kvm_apic_accept_irq", "kvm_apicv_accept_irq" -> accepted(e);
            default -> { }
        }
        if (e.function().equals("ioeventfd_write") && vcpu) {
            ioeventfdWrite.put(task, true);
        }
        if (e.function().equals("irqfd_wakeup")) {
            irqfdWakeup(e);
        } else if (e.function().equals("irqfd_inject") && !atIrqfd.isEmpty()) {
            step(atIrqfd, e);
        }
    }

    private void irqfdWakeup(TraceEvent e) {
        Iterator<Map.Entry<String, List<Long>>> it = atEventfd.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, List<Long>> parked = it.next();
            if (mentions(e.fields(), parked.getKey())) {
                step(parked.getValue(), e);
                atIrqfd.addAll(parked.getValue());
                signalledBy.remove(parked.getKey());
                it.remove();
            }
        }
    }

    private void accepted(TraceEvent e) {
        for (long id : atIrqfd) {
            out.emit("f", id, e);
        }
        atIrqfd.clear();
        Iterator<Map.Entry<String, List<Long>>> it = atEventfd.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, List<Long>> parked = it.next();
            String by = signalledBy.get(parked.getKey());
            if (by != null && by.equals(e.task()) && TaskIds.vcpuIndex(by) < 0) {
                parked.getValue().forEach(id -> out.emit("f", id, e));
                signalledBy.remove(parked.getKey());
                it.remove();
            }
        }
    }

    private void park(String eventfd, String byTask, List<Long> flows) {
        if (eventfd.isEmpty()) {
            return;
        }
        atEventfd.computeIfAbsent(eventfd, k -> new ArrayList<>()).addAll(flows);
        signalledBy.put(eventfd, byTask);
    }

    private void step(List<Long> flows, TraceEvent e) {
        for (long id : flows) {
            out.emit("t", id, e);
        }
    }

    /** The eventfd of an eventfd_signal step: its fields start with "NAME: ". */
    private static String eventfdOfSignal(String fields) {
        int colon = fields.indexOf(": ");
        return colon < 0 ? "" : fields.substring(0, colon);
    }

    /** True when {@code name} appears in {@code fields} as a whole word. */
    private static boolean mentions(String fields, String name) {
        int from = 0;
        while (true) {
            int i = fields.indexOf(name, from);
            if (i < 0) {
                return false;
            }
            int end = i + name.length();
            boolean startOk = i == 0 || !isNameChar(fields.charAt(i - 1));
            boolean endOk = end == fields.length() || !isNameChar(fields.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            from = i + 1;
        }
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }
}
