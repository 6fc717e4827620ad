package dev.kvmsim.cli.explain;

import dev.kvmsim.cli.trace.TaskIds;
import dev.kvmsim.cli.trace.TraceFields;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace sink that keeps the events of the first N notifications of a run, for the teaching
 * narration and the sequence diagram.
 *
 * <p>A notification is a guest write that an ioeventfd absorbs: it starts at the
 * {@code kvm_exit} of the vCPU whose exit contains an {@code ioeventfd_write} step (the
 * ioeventfd accepted the write, virt/kvm/eventfd.c) and takes in the later events of the tasks
 * it involves: that vCPU, every host task (host threads, kworkers: they run what the eventfd
 * wakes), and a vCPU once the APIC accepts an interrupt for it ({@code kvm_apic_accept_irq}
 * apicid = vCPU id). Other vCPUs' unrelated activity is left out. The recording stops when the
 * guest has handled an interrupt injected after the N-th notification began ({@code kvm_eoi}
 * after a {@code kvm_inj_virq} or an APIC acceptance, with what the EOI sets off at the same
 * instant: ack notifiers, an irqfd resampler), when a vCPU of the narration makes its
 * next absorbed write (later notifications of other vCPUs are left out), or after
 * {@link #MAX_EVENTS} events, whichever comes first. Memory is bounded by that cap and a
 * per-vCPU look-back of one exit.
 */
public final class NotificationRecorder implements TraceSink {
    /** What starts a notification. */
    public enum Start {
        /** A guest write absorbed by an ioeventfd ({@code ioeventfd_write} on a vCPU). */
        IOEVENTFD,
        /**
         * A host-side signal: an {@code eventfd_signal} or {@code eventfd_write} made by a host
         * task (a VMM step or an in-kernel user); for scenarios driven from the host side.
         */
        HOST_SIGNAL
    }

    /** The most events kept: a notification is some tens of steps; this bounds a run with no EOI. */
    public static final int MAX_EVENTS = 2000;
    /** Events kept per vCPU since its last kvm_exit, before a notification is recognised. */
    private static final int LOOK_BACK = 256;

    private final int wanted;
    private final Start start;
    private final Map<String, List<TraceEvent>> sinceExit = new HashMap<>();
    private final Set<String> involved = new HashSet<>();
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();
    private boolean injectedAfterLastStart;
    private long eoiAt = -1;
    private boolean done;

    /** @param notifications how many notifications to keep (at least 1) */
    public NotificationRecorder(int notifications) {
        this(notifications, Start.IOEVENTFD);
    }

    /**
     * @param notifications how many notifications to keep (at least 1)
     * @param start         what starts one
     */
    public NotificationRecorder(int notifications, Start start) {
        if (notifications < 1) {
            throw new IllegalArgumentException("notifications must be at least 1, not " + notifications);
        }
        this.wanted = notifications;
        this.start = start;
    }

    /** What starts a notification in this recording. */
    public Start start() {
        return start;
    }

    @Override
    public void accept(TraceEvent e) {
        if (done) {
            return;
        }
        if (eoiAt >= 0 && e.time() > eoiAt) {
            // the EOI and what it set off at that instant (ack notifiers, resampler) are told
            done = true;
            return;
        }
        boolean vcpu = TaskIds.vcpuIndex(e.task()) >= 0;
        if (vcpu) {
            remember(e);
        }
        if (isStart(e)) {
            if (starts.size() < wanted) {
                beginNotification(e);
                return;
            }
            if (!vcpu || involved.contains(e.task())) {
                // a vCPU of the narration has moved on to its next write
                done = true;
                trimUnfinishedExits();
                return;
            }
        }
        if (starts.isEmpty() || (vcpu && !involved.contains(e.task()))) {
            return;
        }
        append(events, e);
        if (isInjection(e)) {
            injectedAfterLastStart = true;
            long apicid = TraceFields.number(e.fields(), "apicid");
            if (apicid >= 0) {
                involved.add("vcpu" + apicid);
            }
        }
        if (starts.size() == wanted && injectedAfterLastStart && e.event().equals("kvm_eoi") && eoiAt < 0) {
            eoiAt = e.time();
        }
        if (events.size() >= MAX_EVENTS) {
            done = true;
        }
    }

    /** The events recorded, in the order they happened (a notification's own exit first). */
    public List<TraceEvent> events() {
        return List.copyOf(events);
    }

    /** The indexes in {@link #events()} where each notification begins (its vCPU's kvm_exit). */
    public List<Integer> starts() {
        return List.copyOf(starts);
    }

    /** True when the recording ended before the run did (all wanted notifications are complete). */
    public boolean complete() {
        return done && events.size() < MAX_EVENTS;
    }

    private void remember(TraceEvent e) {
        List<TraceEvent> l = sinceExit.computeIfAbsent(e.task(), k -> new ArrayList<>());
        if (e.event().equals("kvm_exit")) {
            l.clear();
        }
        if (l.size() < LOOK_BACK) {
            append(l, e);
        }
    }

    private void beginNotification(TraceEvent ioeventfdStep) {
        String vcpu = ioeventfdStep.task();
        injectedAfterLastStart = false;
        if (TaskIds.vcpuIndex(vcpu) < 0) {
            // a host-side signal: the chain starts here
            starts.add(events.size());
            append(events, ioeventfdStep);
            return;
        }
        if (involved.contains(vcpu)) {
            // its exit is recorded already
            starts.add(lastExitIndex(vcpu));
            events.add(ioeventfdStep);
            return;
        }
        involved.add(vcpu);
        starts.add(events.size());
        events.addAll(sinceExit.getOrDefault(vcpu, List.of(ioeventfdStep)));
    }

    /**
     * Appends {@code e}, or, for a step the model records after the steps it caused (a bus
     * dispatch after the ioeventfd it reached, an irqfd wakeup after the delivery it made),
     * inserts it before them: the narration then reads in call order. Only the trailing steps of
     * the same task at the same time move.
     */
    static void append(List<TraceEvent> list, TraceEvent e) {
        int at = list.size();
        if (encloses(e)) {
            while (at > 0) {
                TraceEvent prev = list.get(at - 1);
                if (!prev.task().equals(e.task()) || prev.time() != e.time() || !causedBy(prev, e)) {
                    break;
                }
                at--;
            }
        }
        list.add(at, e);
    }

    /** Summary steps recorded after what they caused: __kvm_io_bus_write, irqfd_wakeup. */
    private static boolean encloses(TraceEvent e) {
        return e.event().equals("kvm_io_bus_write") || e.function().equals("irqfd_wakeup");
    }

    private static boolean causedBy(TraceEvent inner, TraceEvent summary) {
        String ev = inner.event();
        if (summary.event().equals("kvm_io_bus_write")) {
            return inner.function().equals("ioeventfd_write") || ev.equals("eventfd_signal");
        }
        return ev.equals("kvm_msi_set_irq") || ev.equals("kvm_apic_accept_irq") || ev.equals("kvm_apicv_accept_irq")
                || ev.equals("kvm_set_irq") || ev.equals("kvm_ioapic_set_irq") || ev.equals("kvm_pic_set_irq")
                || ev.startsWith("workqueue_");
    }

    /**
     * Drops, for each vCPU of the narration, the steps of an exit that began after its last
     * kvm_entry: they belong to the vCPU's next write, not to the notifications told.
     */
    private void trimUnfinishedExits() {
        int firstStart = starts.isEmpty() ? 0 : starts.get(starts.size() - 1);
        for (String vcpu : involved) {
            int exit = lastExitIndex(vcpu);
            boolean enteredAfter = false;
            for (int i = exit; i < events.size(); i++) {
                TraceEvent r = events.get(i);
                enteredAfter |= r.task().equals(vcpu) && r.event().equals("kvm_entry");
            }
            if (exit < events.size() && exit > firstStart && !enteredAfter) {
                for (int i = events.size() - 1; i >= exit; i--) {
                    if (events.get(i).task().equals(vcpu)) {
                        events.remove(i);
                    }
                }
            }
        }
    }

    /** The index of {@code task}'s last kvm_exit in the recording, or the next index if none. */
    private int lastExitIndex(String task) {
        for (int i = events.size() - 1; i >= 0; i--) {
            TraceEvent r = events.get(i);
            if (r.task().equals(task) && r.event().equals("kvm_exit")) {
                return i;
            }
        }
        return events.size();
    }

    private boolean isStart(TraceEvent e) {
        if (start == Start.IOEVENTFD) {
            return isNotificationStart(e);
        }
        return TaskIds.vcpuIndex(e.task()) < 0 && (e.event().equals("eventfd_signal") || e.event().equals("eventfd_write"))
                && !e.task().startsWith("kworker") && isHostStep(e.task());
    }

    /** The task host steps run as (the VMM's ioctls and eventfd operations). */
    private static boolean isHostStep(String task) {
        return task.equals("vmm");
    }

    /** The step where an ioeventfd accepts a guest write (virt/kvm/eventfd.c ioeventfd_write). */
    static boolean isNotificationStart(TraceEvent e) {
        return e.function().equals("ioeventfd_write") && TaskIds.vcpuIndex(e.task()) >= 0;
    }

    static boolean isInjection(TraceEvent e) {
        return e.event().equals("kvm_inj_virq") || e.event().equals("kvm_apic_accept_irq")
                || e.event().equals("kvm_apicv_accept_irq");
    }
}
