package dev.kvmsim.cli.explain;

import dev.kvmsim.cli.trace.TaskIds;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A trace sink that keeps the events of the first N notifications of a run, for the teaching
 * narration and the sequence diagram.
 *
 * <p>A notification is a guest write that an ioeventfd absorbs: it starts at the
 * {@code kvm_exit} of the vCPU whose exit contains an {@code ioeventfd_write} step (the
 * ioeventfd accepted the write, virt/kvm/eventfd.c) and takes in every later event of every
 * task (host thread, irqfd, kworker, APIC), in time order. The recording stops when the guest
 * has handled an interrupt injected after the N-th notification began ({@code kvm_eoi} after a
 * {@code kvm_inj_virq} or {@code kvm_apic_accept_irq}), when notification N+1 begins, or after
 * {@link #MAX_EVENTS} events, whichever comes first. Memory is bounded by that cap and a short
 * look-back window.
 */
public final class NotificationRecorder implements TraceSink {
    /** The most events kept: a notification is some tens of steps; this bounds a run with no EOI. */
    public static final int MAX_EVENTS = 2000;
    /** Events kept before a notification is recognised (the exit precedes the ioeventfd step). */
    private static final int LOOK_BACK = 256;

    private final int wanted;
    private final ArrayDeque<TraceEvent> recent = new ArrayDeque<>();
    private final List<TraceEvent> events = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();
    private boolean injectedAfterLastStart;
    private boolean done;

    /** @param notifications how many notifications to keep (at least 1) */
    public NotificationRecorder(int notifications) {
        if (notifications < 1) {
            throw new IllegalArgumentException("notifications must be at least 1, not " + notifications);
        }
        this.wanted = notifications;
    }

    @Override
    public void accept(TraceEvent e) {
        if (done) {
            return;
        }
        if (isNotificationStart(e)) {
            if (starts.size() == wanted) {
                done = true;
                return;
            }
            beginNotification(e);
            injectedAfterLastStart = false;
            return;
        }
        if (starts.isEmpty()) {
            remember(e);
            return;
        }
        events.add(e);
        if (isInjection(e)) {
            injectedAfterLastStart = true;
        }
        if (starts.size() == wanted && injectedAfterLastStart && e.event().equals("kvm_eoi")) {
            done = true;
        }
        if (events.size() >= MAX_EVENTS) {
            done = true;
        }
    }

    /** The events recorded, in time order. */
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

    private void beginNotification(TraceEvent ioeventfdStep) {
        if (starts.isEmpty()) {
            // Take the look-back window from this vCPU's last kvm_exit onward.
            List<TraceEvent> tail = new ArrayList<>();
            Iterator<TraceEvent> it = recent.descendingIterator();
            boolean foundExit = false;
            while (it.hasNext() && !foundExit) {
                TraceEvent r = it.next();
                tail.add(0, r);
                foundExit = r.task().equals(ioeventfdStep.task()) && r.event().equals("kvm_exit");
            }
            if (foundExit) {
                events.addAll(tail);
            }
            recent.clear();
        }
        starts.add(lastExitIndex(ioeventfdStep.task()));
        events.add(ioeventfdStep);
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

    private void remember(TraceEvent e) {
        recent.addLast(e);
        if (recent.size() > LOOK_BACK) {
            recent.removeFirst();
        }
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
