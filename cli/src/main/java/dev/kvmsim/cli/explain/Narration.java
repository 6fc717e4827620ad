package dev.kvmsim.cli.explain;

import dev.kvmsim.core.Durations;
import dev.kvmsim.core.trace.TraceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders recorded notifications as a narrated walk: for each step the simulated time, its cost
 * (the time since the same task's previous step, or since the step before it when the task
 * just started), the component (task), the kernel function it models, and what happened and
 * why (the step's fields: the TP_printk rendering of a tracepoint, the explanation of a
 * model-only step). Where the cost model labels a cost an estimate, the note says so.
 */
public final class Narration {
    private Narration() { }

    public static String render(List<TraceEvent> events, List<Integer> starts, CostNotes notes) {
        StringBuilder sb = new StringBuilder();
        Map<String, Long> lastByTask = new HashMap<>();
        long previous = -1;
        int notification = 0;
        for (int i = 0; i < events.size(); i++) {
            if (notification < starts.size() && starts.get(notification) == i) {
                notification++;
                lastByTask.clear();
                previous = -1;
                sb.append(notification == 1 ? "" : "\n");
                sb.append("Notification ").append(notification).append(" of ").append(starts.size())
                        .append(": a guest write absorbed by an ioeventfd, and what it causes\n\n");
            }
            TraceEvent e = events.get(i);
            Long sameTask = lastByTask.get(e.task());
            long since = sameTask != null ? sameTask : previous;
            step(sb, i + 1, e, since < 0 ? 0 : e.time() - since, notes);
            lastByTask.put(e.task(), e.time());
            previous = e.time();
        }
        if (events.isEmpty()) {
            sb.append("No notification happened: no guest write was absorbed by an ioeventfd.\n");
        }
        return sb.toString();
    }

    private static void step(StringBuilder sb, int n, TraceEvent e, long cost, CostNotes notes) {
        String num = Integer.toString(n);
        sb.append(" ".repeat(Math.max(0, 4 - num.length()))).append(num).append(". ");
        sb.append(Durations.format(e.time())).append("  ");
        sb.append('[').append(e.task()).append("]  ");
        if (!e.function().isEmpty()) {
            sb.append(e.function()).append(" -> ");
        }
        sb.append(e.event());
        sb.append(e.tracepoint() ? "  (tracepoint)" : "  (model step)");
        sb.append('\n');
        sb.append("        ").append(e.fields()).append('\n');
        sb.append("        cost +").append(Durations.format(cost));
        notes.note(e).ifPresent(note -> sb.append("  (").append(note).append(')'));
        sb.append('\n');
    }
}
