package dev.kvmsim.cli.explain;

import dev.kvmsim.cli.trace.TaskIds;
import dev.kvmsim.core.Durations;
import dev.kvmsim.core.trace.TraceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mermaid sequence diagram of one notification, fenced as {@code ```mermaid} so it pastes
 * into Markdown. Each step becomes a message to the component that performs it (from the
 * sender that {@link #sender} names); components are classified by the kernel function a step models
 * and the task it runs in:
 * <ul>
 * <li>Guest: guest-side steps on a vCPU task, and {@code kvm_entry} (the guest runs again).</li>
 * <li>KVM: exits, entries, injection on entry (vmx.c, x86.c).</li>
 * <li>IoBus: kvm_io_bus_write and its bsearch (kvm_main.c).</li>
 * <li>Ioeventfd: ioeventfd_write and its matching (eventfd.c).</li>
 * <li>Eventfd: eventfd_signal, wait-queue wakeups, reads (fs/eventfd.c).</li>
 * <li>HostThread: steps of a vhost worker or VMM iothread task.</li>
 * <li>Irqfd: irqfd_wakeup, irqfd_inject.</li>
 * <li>Workqueue: schedule_work and kworker steps.</li>
 * <li>Routing: kvm_set_irq, routing lookups, MSI decoding (irqchip.c).</li>
 * <li>APIC: LAPIC, IOAPIC and PIC steps (lapic.c, ioapic.c, i8259.c).</li>
 * </ul>
 */
public final class MermaidDiagram {
    /** The participants, in the order the diagram lists them. */
    enum Participant {
        GUEST("Guest", "guest vCPU"),
        KVM("KVM", "KVM (vCPU thread)"),
        IOBUS("IoBus", "io bus"),
        IOEVENTFD("Ioeventfd", "ioeventfd"),
        EVENTFD("Eventfd", "eventfd"),
        HOST("Host", "host thread"),
        IRQFD("Irqfd", "irqfd"),
        WORKQUEUE("Workqueue", "workqueue"),
        ROUTING("Routing", "GSI routing"),
        APIC("APIC", "APIC");

        final String id;
        final String label;

        Participant(String id, String label) {
            this.id = id;
            this.label = label;
        }
    }

    /** Longest message label; longer fields are cut (the narration has them in full). */
    private static final int MAX_LABEL = 60;

    private MermaidDiagram() { }

    /** The diagram of {@code events} (one notification), fenced for Markdown. */
    public static String render(String title, List<TraceEvent> events) {
        StringBuilder sb = new StringBuilder();
        sb.append("```mermaid\nsequenceDiagram\n");
        sb.append("    title ").append(clean(title)).append('\n');
        for (Participant p : Participant.values()) {
            sb.append("    participant ").append(p.id).append(" as ").append(p.label).append('\n');
        }
        Map<String, Participant> lastByTask = new HashMap<>();
        long t0 = events.isEmpty() ? 0 : events.get(0).time();
        for (TraceEvent e : events) {
            Participant to = classify(e);
            Participant from = sender(e, lastByTask.get(e.task()));
            sb.append("    ").append(from.id).append("->>").append(to.id).append(": ")
                    .append(label(e, t0)).append('\n');
            lastByTask.put(e.task(), to);
        }
        sb.append("```\n");
        return sb.toString();
    }

    /**
     * Who sends the message for step {@code e}: an exit comes from the guest, an entry from KVM;
     * otherwise the component of the same task's previous step; a task's first step comes from
     * what woke it (the eventfd for a host thread, the workqueue for a kworker).
     */
    static Participant sender(TraceEvent e, Participant previousOfTask) {
        if (e.event().equals("kvm_exit")) {
            return Participant.GUEST;
        }
        if (e.event().equals("kvm_entry")) {
            return Participant.KVM;
        }
        if (previousOfTask != null) {
            return previousOfTask;
        }
        if (e.task().startsWith("kworker")) {
            return Participant.WORKQUEUE;
        }
        return TaskIds.vcpuIndex(e.task()) >= 0 ? Participant.KVM : Participant.EVENTFD;
    }

    static Participant classify(TraceEvent e) {
        String f = e.function();
        String ev = e.event();
        boolean vcpu = TaskIds.vcpuIndex(e.task()) >= 0;
        boolean kworker = e.task().startsWith("kworker");
        if (ev.equals("host_thread_signal")) {
            return Participant.EVENTFD;
        }
        if (ev.startsWith("host_thread") || (ev.equals("task_wakeup") && !vcpu && !kworker)) {
            return Participant.HOST;
        }
        if (ev.equals("task_wakeup")) {
            return vcpu ? Participant.KVM : Participant.WORKQUEUE;
        }
        if (has(f, ev, "guest") || ev.equals("kvm_entry")) {
            return Participant.GUEST;
        }
        if (has(f, ev, "io_bus")) {
            return Participant.IOBUS;
        }
        if (has(f, ev, "ioeventfd")) {
            return Participant.IOEVENTFD;
        }
        if (has(f, ev, "irqfd")) {
            return Participant.IRQFD;
        }
        if (has(f, ev, "eventfd") || has(f, ev, "wake_up") || has(f, ev, "wait_queue")) {
            return Participant.EVENTFD;
        }
        if (has(f, ev, "schedule_work") || has(f, ev, "queue_work") || has(f, ev, "process_one_work")
                || kworker) {
            return Participant.WORKQUEUE;
        }
        if (ev.equals("kvm_set_irq") || ev.equals("kvm_msi_set_irq") || has(f, ev, "irq_map")
                || has(f, ev, "set_msi") || has(f, ev, "routing")) {
            return Participant.ROUTING;
        }
        if (has(f, ev, "apic") || has(f, ev, "pic") || ev.equals("kvm_eoi") || ev.equals("kvm_ack_irq")) {
            return Participant.APIC;
        }
        return vcpu ? Participant.KVM : Participant.HOST;
    }

    private static boolean has(String function, String event, String part) {
        return function.contains(part) || event.contains(part);
    }

    private static String label(TraceEvent e, long t0) {
        String name = e.tracepoint() || e.function().isEmpty() ? e.event() : e.function();
        String fields = e.fields();
        if (fields.length() > MAX_LABEL) {
            fields = fields.substring(0, MAX_LABEL - 3) + "...";
        }
        return clean("+" + Durations.format(e.time() - t0) + " " + name + ": " + fields);
    }

    /** Mermaid treats ';' as a statement end and '#' as an entity start in messages. */
    private static String clean(String s) {
        return s.replace(';', ',').replace('#', ' ').replace('\n', ' ').strip();
    }
}
