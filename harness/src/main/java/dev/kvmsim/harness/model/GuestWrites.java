package dev.kvmsim.harness.model;

import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The write actions of guest programs, numbered per vCPU in program order (a repeat's body
 * once), as the runner numbers them; the harness prints its per-write counts under the same
 * numbers.
 */
public final class GuestWrites {

    /** One write action: its vCPU, its number in that vCPU's program, and the action. */
    public record Ref(int vcpu, int id, GuestAction action) {}

    private GuestWrites() {}

    /** Every write action of {@code guest}, in the order of the programs and, within one, of their actions. */
    public static List<Ref> of(List<GuestProgram> guest) {
        List<Ref> out = new ArrayList<>();
        for (GuestProgram p : guest) {
            int[] next = {0};
            collect(p.vcpu(), p.program(), next, out);
        }
        return out;
    }

    private static void collect(int vcpu, List<GuestAction> actions, int[] next, List<Ref> out) {
        for (GuestAction a : actions) {
            if (a instanceof GuestAction.MmioWrite || a instanceof GuestAction.PioWrite) {
                out.add(new Ref(vcpu, next[0]++, a));
            } else if (a instanceof GuestAction.Repeat r) {
                collect(vcpu, r.body(), next, out);
            }
        }
    }

    /** The same programs with every write action's {@code expect} replaced by {@code expect}. */
    public static List<GuestProgram> withExpect(List<GuestProgram> guest, GuestAction.ExitExpect expect) {
        List<GuestProgram> out = new ArrayList<>();
        for (GuestProgram p : guest) {
            out.add(new GuestProgram(p.vcpu(), map(p.program(), a -> withExpect(a, expect)), p.loc()));
        }
        return out;
    }

    private static List<GuestAction> map(List<GuestAction> actions, UnaryOperator<GuestAction> f) {
        List<GuestAction> out = new ArrayList<>();
        for (GuestAction a : actions) {
            out.add(f.apply(a));
        }
        return out;
    }

    private static GuestAction withExpect(GuestAction a, GuestAction.ExitExpect expect) {
        if (a instanceof GuestAction.MmioWrite w) {
            return new GuestAction.MmioWrite(w.addr(), w.len(), w.value(), expect, w.loc());
        }
        if (a instanceof GuestAction.PioWrite w) {
            return new GuestAction.PioWrite(w.port(), w.len(), w.value(), expect, w.loc());
        }
        if (a instanceof GuestAction.Repeat r) {
            return new GuestAction.Repeat(r.times(), map(r.body(), b -> withExpect(b, expect)), r.loc());
        }
        return a;
    }
}
