package dev.kvmsim.cli.explain;

import dev.kvmsim.cli.trace.TaskIds;
import dev.kvmsim.cli.trace.TraceFields;
import dev.kvmsim.core.Durations;
import dev.kvmsim.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders recorded notifications as a narrated walk: for each step the simulated time, the
 * component (task), the kernel function it models, what happened and why (the step's fields:
 * the TP_printk rendering of a tracepoint, the explanation of a model-only step), and its cost.
 *
 * <p>The cost of a step is the simulated time since what it waited for: the same task's
 * previous step; for a task that was woken (a {@code task_wakeup}, a host thread's first
 * step), the eventfd signal that woke it; for a vCPU leaving a HLT exit, the APIC's acceptance
 * of the interrupt that woke it. The named costs behind that time come from the
 * {@link CostCatalog}: the costs of the zero-time steps since the task last advanced, plus the
 * step's own. When a subset of them adds up exactly to the time, the note prints the sum
 * ("= exit.mmio 285ns + vmx.entry 160ns [estimate]"), marking the costs no published figure
 * backs; otherwise it says which costs the time includes.
 * Costs not used carry over to the task's next step, across notifications (those of several
 * vCPUs interleave in time). A vCPU's first step waited for nothing. Every cited cost is
 * listed at the end.
 */
public final class Narration {
    /** Subsets are searched exhaustively over at most this many candidates (2^10 sums). */
    private static final int MAX_CANDIDATES = 10;

    private final CostCatalog catalog;
    private final Set<String> cited = new LinkedHashSet<>();

    public Narration(CostCatalog catalog) {
        this.catalog = catalog;
    }

    /** The costs the rendered text cited, in order of first citation. */
    public Set<String> cited() {
        return cited;
    }

    public String render(List<TraceEvent> events, List<Integer> starts) {
        return render(events, starts, "a guest write absorbed by an ioeventfd, and what it causes");
    }

    /** Renders with {@code heading} describing what each notification is. */
    public String render(List<TraceEvent> events, List<Integer> starts, String heading) {
        StringBuilder sb = new StringBuilder();
        Map<String, TraceEvent> lastByTask = new HashMap<>();
        Map<String, List<String>> pending = new HashMap<>();
        TraceEvent lastWakingSignal = null;
        TraceEvent lastAccept = null;
        TraceEvent previous = null;
        int notification = 0;
        for (int i = 0; i < events.size(); i++) {
            if (notification < starts.size() && starts.get(notification) == i) {
                notification++;
                // lastByTask and pending carry over: notifications of several vCPUs interleave
                // in time, and a task's step still waited for that task's previous one
                sb.append(notification == 1 ? "" : "\n");
                sb.append("Notification ").append(notification).append(" of ").append(starts.size())
                        .append(": ").append(heading).append("\n\n");
            }
            TraceEvent e = events.get(i);
            TraceEvent sameTask = lastByTask.get(e.task());
            TraceEvent since = since(e, sameTask, previous, lastWakingSignal, lastAccept);
            long cost = since == null ? 0 : e.time() - since.time();
            List<String> candidates = pending.computeIfAbsent(e.task(), k -> new ArrayList<>());
            if (since != null && since != sameTask) {
                candidates.clear(); // the task slept: what it had left to spend was hidden by the wait
            }
            candidates.addAll(catalog.candidates(e, sameTask));
            String note = cost > 0 ? explainCost(cost, candidates) : "";
            step(sb, i + 1, e, cost, note);
            lastByTask.put(e.task(), e);
            previous = e;
            if (e.event().equals("eventfd_signal") && !e.fields().contains("over 0 waiter")
                    && !e.fields().contains("no waiters")) {
                lastWakingSignal = e;
            }
            if (e.event().equals("kvm_apic_accept_irq") || e.event().equals("kvm_apicv_accept_irq")) {
                lastAccept = e;
            }
        }
        if (events.isEmpty()) {
            sb.append("No notification happened: no guest write was absorbed by an ioeventfd, and no host step signalled an eventfd.\n");
        }
        return sb.toString();
    }

    /** The step {@code e} waited for (see the class comment); null for the very first step. */
    private static TraceEvent since(TraceEvent e, TraceEvent sameTask, TraceEvent previous,
                                    TraceEvent wakingSignal, TraceEvent accept) {
        boolean vcpu = TaskIds.vcpuIndex(e.task()) >= 0;
        if (!vcpu && (sameTask == null || e.event().equals("task_wakeup")) && wakingSignal != null
                && !wakingSignal.task().equals(e.task())) {
            return wakingSignal;
        }
        if (vcpu && sameTask != null && sameTask.event().equals("kvm_exit")
                && TraceFields.exitReason(sameTask.fields()).equals("HLT") && accept != null
                && accept.time() > sameTask.time()
                && TraceFields.number(accept.fields(), "apicid") == TaskIds.vcpuIndex(e.task())) {
            return accept;
        }
        if (vcpu && sameTask == null) {
            return null; // a vCPU's first step is its guest's own doing, not another task's
        }
        return sameTask != null ? sameTask : previous;
    }

    /** Explains {@code cost} from {@code candidates}; removes the costs it used. */
    private String explainCost(long cost, List<String> candidates) {
        if (candidates.isEmpty() || cost == 0) {
            return "";
        }
        List<String> named = new ArrayList<>();
        for (String c : candidates) {
            if (c.startsWith("scenario:")) {
                candidates.clear();
                return "(" + c.substring("scenario:".length()) + ")";
            }
            if (!Double.isNaN(catalog.meanNs(c)) && named.size() < MAX_CANDIDATES) {
                named.add(c);
            }
        }
        List<String> exact = exactSubset(cost, named);
        if (exact != null) {
            exact.forEach(candidates::remove);
            cited.addAll(exact);
            StringBuilder s = new StringBuilder("(= ");
            for (int k = 0; k < exact.size(); k++) {
                s.append(k == 0 ? "" : " + ").append(exact.get(k)).append(' ')
                        .append(Durations.format(Math.round(catalog.meanNs(exact.get(k)))));
                if (catalog.estimate(exact.get(k))) {
                    s.append(" [estimate]");
                }
            }
            return s.append(')').toString();
        }
        cited.addAll(named);
        String includes = String.join(", ", named.stream()
                .map(c -> catalog.estimate(c) ? c + " [estimate]" : c).toList());
        candidates.clear();
        return named.isEmpty() ? "" : "(includes " + includes + ")";
    }

    /**
     * The largest subset of {@code names} whose means add up to {@code cost} (within 1 ns), or
     * null; among equally large ones, the one with the most recent candidates.
     */
    private List<String> exactSubset(long cost, List<String> names) {
        int n = names.size();
        int best = -1;
        for (int mask = 1; mask < (1 << n); mask++) {
            double sum = 0;
            for (int k = 0; k < n; k++) {
                if ((mask & (1 << k)) != 0) {
                    sum += catalog.meanNs(names.get(k));
                }
            }
            if (Math.abs(sum - cost) <= 1.0 && (best < 0 || Integer.bitCount(mask) >= Integer.bitCount(best))) {
                best = mask;
            }
        }
        if (best < 0) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if ((best & (1 << k)) != 0) {
                out.add(names.get(k));
            }
        }
        return out;
    }

    private static void step(StringBuilder sb, int n, TraceEvent e, long cost, String note) {
        String num = Integer.toString(n);
        sb.append(" ".repeat(Math.max(0, 4 - num.length()))).append(num).append(". ");
        sb.append(Durations.format(e.time())).append("  ");
        sb.append('[').append(e.task()).append("]  ");
        if (!e.function().isEmpty() && !e.function().equals(e.event())) {
            sb.append(e.function()).append(" -> ");
        }
        sb.append(e.event());
        sb.append(e.tracepoint() ? "  (tracepoint)" : "  (model step)");
        sb.append('\n');
        sb.append("        ").append(e.fields()).append('\n');
        sb.append("        cost +").append(Durations.format(cost));
        if (!note.isEmpty()) {
            sb.append("  ").append(note);
        }
        sb.append('\n');
    }
}
