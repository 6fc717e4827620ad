package dev.kvmsim.harness.gen;

import dev.kvmsim.scenarios.model.Expectation;
import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.Loc;
import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.model.ThreadSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * What of a scenario the harness cannot run on the real kernel ({@link #unsupported}), and
 * what it runs but does not compare ({@link #notCompared}). A scenario with anything
 * unsupported is not generated; {@code kvmsim verify --explain-unsupported} prints both
 * lists (docs/harness.md has the full table).
 */
public final class Support {

    /** One finding, at its place in the scenario file. */
    public record Finding(Loc loc, String what, String reason) {
        public String render() {
            return (loc.line() > 0 ? "line " + loc.line() + ": " : "") + what + ": " + reason;
        }
    }

    private Support() {}

    /** Everything that keeps the harness from running {@code s}; empty when it can. */
    public static List<Finding> unsupported(Scenario s) {
        List<Finding> out = new ArrayList<>();
        if (s.vm().vcpus() > Layout.MAX_VCPUS) {
            out.add(new Finding(Loc.NONE, "vm.vcpus " + s.vm().vcpus(), "the harness lays out at most " + Layout.MAX_VCPUS + " vCPUs"));
        }
        for (HostStep h : s.host()) {
            if (h instanceof HostStep.EventfdSignal) {
                out.add(new Finding(h.meta().loc(), "host[" + h.meta().index() + "] eventfd_signal",
                        "the in-kernel eventfd_signal has no system call; a user program only has write(2), which blocks where eventfd_signal saturates"));
            }
        }
        for (GuestProgram p : s.guest()) {
            guest(p.vcpu(), p.program(), out);
        }
        if (out.isEmpty()) {
            if (ramBase(s) < 0) {
                out.add(new Finding(Loc.NONE, "guest writes", "no room for the harness's RAM slot: the writes cover every candidate base below 4 GiB"));
            } else {
                try {
                    GuestImage.build(s, ramBase(s));
                } catch (GuestImage.Unsupported e) {
                    out.add(new Finding(Loc.NONE, "guest programs", e.getMessage()));
                }
            }
        }
        return out;
    }

    private static void guest(int vcpu, List<GuestAction> actions, List<Finding> out) {
        for (GuestAction a : actions) {
            if (a instanceof GuestAction.MmioWrite w && Long.compareUnsigned(w.addr() + w.len(), 0x1_0000_0000L) > 0) {
                out.add(new Finding(w.loc(), "vcpu " + vcpu + " mmio_write 0x" + Long.toHexString(w.addr()),
                        "a flat 32-bit guest cannot address above 4 GiB"));
            } else if (a instanceof GuestAction.WaitUntil w && w.timeNs() > 0xFFFFFFFFL) {
                out.add(new Finding(w.loc(), "vcpu " + vcpu + " wait_until", "beyond 4.29 s (the guest's clock word is 32-bit)"));
            } else if (a instanceof GuestAction.Repeat r) {
                if (r.times() > 0xFFFFFFFFL) {
                    out.add(new Finding(r.loc(), "vcpu " + vcpu + " repeat " + r.times(), "more than 2^32-1 iterations"));
                }
                guest(vcpu, r.body(), out);
            }
        }
    }

    /** What the harness runs but the comparison leaves out (timing, VMX-specific counts, what a program cannot observe). */
    public static List<Finding> notCompared(Scenario s) {
        List<Finding> out = new ArrayList<>();
        if (!s.vm().costs().isEmpty()) {
            out.add(new Finding(Loc.NONE, "vm.costs", "costs are timing; never compared"));
        }
        for (ThreadSpec t : s.threads()) {
            out.add(new Finding(t.loc(), "thread " + t.name(), "runs as a pthread that polls, reads and signals with write(2) (a vhost worker's "
                    + "eventfd_signal is not available to a program); its service time is not reproduced; wakeups/services not compared"));
        }
        List<Expectation> all = new ArrayList<>(s.expect());
        for (HostStep h : s.host()) {
            if (h instanceof HostStep.Check c) {
                all.addAll(c.expectations());
            }
        }
        for (Expectation e : all) {
            String why = null;
            if (e instanceof Expectation.Latency) {
                why = "latency is timing; never compared";
            } else if (e instanceof Expectation.Exits) {
                why = "exit reasons are VMX-specific (the kvm_pvm host emulates every guest instruction); not compared";
            } else if (e instanceof Expectation.Thread) {
                why = "host thread wakeups and services are not observable from the program; not compared";
            } else if (e instanceof Expectation.Eventfd x && x.signals() != null) {
                why = "eventfd signals (increments over the run) are not observable; the counter is compared";
            }
            if (why != null) {
                out.add(new Finding(e.loc(), "expectation", why));
            }
        }
        for (GuestProgram p : s.guest()) {
            if (hasCompute(p.program())) {
                out.add(new Finding(p.loc(), "vcpu " + p.vcpu() + " compute", "durations are not reproduced (the guest goes straight on)"));
            }
        }
        return out;
    }

    private static boolean hasCompute(List<GuestAction> actions) {
        for (GuestAction a : actions) {
            if (a instanceof GuestAction.Compute || (a instanceof GuestAction.Repeat r && hasCompute(r.body()))) {
                return true;
            }
        }
        return false;
    }

    /** The first candidate base whose slot no guest write touches, or -1. */
    static long ramBase(Scenario s) {
        long size = new Layout(0, s.vm().vcpus()).size();
        List<long[]> ranges = new ArrayList<>();
        for (GuestProgram p : s.guest()) {
            writes(p.program(), ranges);
        }
        for (long base : Layout.BASES) {
            boolean free = true;
            for (long[] r : ranges) {
                if (r[0] < base + size && r[1] > base) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return base;
            }
        }
        return -1;
    }

    private static void writes(List<GuestAction> actions, List<long[]> out) {
        for (GuestAction a : actions) {
            if (a instanceof GuestAction.MmioWrite w) {
                out.add(new long[] {w.addr(), w.addr() + w.len()});
            } else if (a instanceof GuestAction.Repeat r) {
                writes(r.body(), out);
            }
        }
    }
}
