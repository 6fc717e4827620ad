package dev.kvmsim.harness.compare;

import dev.kvmsim.harness.results.Outcome;
import dev.kvmsim.harness.results.RunResults;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares the observable outcomes of the model with those of a real-kernel run of the
 * same scenario. Only outcomes are compared, never timing: step results and errnos, blocked
 * steps' completions, {@code check} values, per-write kernel/userspace counts, eventfd
 * counters, vectors taken per vCPU and userspace exits. A count absent on one side is 0; an
 * eventfd whose descriptor was closed cannot be read on the real kernel and is not compared.
 */
public final class Comparator {
    /** The value of an eventfd counter (or a check of one) that cannot be read. */
    public static final String CLOSED = "closed";
    private static final String NONE = "(none)";

    private Comparator() {}

    /** Every difference, in the model's order, then outcomes only the kernel run has. */
    public static List<Difference> compare(RunResults model, RunResults kernel) {
        List<Difference> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(model.outcomes().keySet());
        keys.addAll(kernel.outcomes().keySet());
        for (String key : keys) {
            Outcome m = model.outcomes().get(key);
            Outcome k = kernel.outcomes().get(key);
            Outcome.Kind kind = m != null ? m.kind() : k.kind();
            if (kind == Outcome.Kind.ERROR) {
                if (k != null) {
                    out.add(new Difference(kind, key, NONE, k.value(), k.line()));
                }
                continue;
            }
            String mv = m != null ? m.value() : absent(kind);
            String kv = k != null ? k.value() : absent(kind);
            if (notReadable(kind, mv) || notReadable(kind, kv)) {
                continue;
            }
            if (!mv.equals(kv)) {
                out.add(new Difference(kind, key, mv, kv, k == null ? 0 : k.line()));
            }
        }
        if (!kernel.complete()) {
            out.add(new Difference(null, "end", "end of run", "the results end before 'end' (the harness did not finish)", 0));
        }
        return out;
    }

    private static String absent(Outcome.Kind kind) {
        return kind.absentValue() == null ? NONE : kind.absentValue();
    }

    private static boolean notReadable(Outcome.Kind kind, String value) {
        return (kind == Outcome.Kind.EVENTFD || kind == Outcome.Kind.CHECK) && value.equals(CLOSED);
    }
}
