package dev.kvmsim.harness.model;

import dev.kvmsim.harness.compare.Comparator;
import dev.kvmsim.harness.results.Outcome;
import dev.kvmsim.harness.results.RunResults;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.ScenarioRunner;
import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.Scenario;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model's observable outcomes of a scenario, in the results format: one run of the
 * simulator ({@link ScenarioRunner}), read from its {@link Report}. Nothing here re-implements
 * the model. To read every write action's kernel/userspace counts, the run is made with an
 * {@code expect: kernel} on every write (an expectation only reports the counts; it does not
 * change what the model does).
 */
public final class ModelOutcomes {
    private static final Pattern CHECK = Pattern.compile("host\\[(\\d+)\\] check at [^(]*\\(line \\d+\\): (.*)");
    private static final Pattern WRITE_COUNTS = Pattern.compile("kernel (\\d+), userspace (\\d+)");
    private static final String COMPLETED = "completed at ";

    private ModelOutcomes() {}

    public static RunResults of(Scenario scenario) {
        return of(scenario, RunOptions.defaults());
    }

    public static RunResults of(Scenario scenario, RunOptions options) {
        Scenario probe = scenario.withGuest(GuestWrites.withExpect(scenario.guest(), GuestAction.ExitExpect.KERNEL));
        Report r = ScenarioRunner.run(probe, options);
        RunResults.Builder b = new RunResults.Builder(scenario.name());
        Set<String> closed = new HashSet<>();
        for (Report.StepResult s : r.steps()) {
            HostStep step = scenario.host().get(s.index());
            if (step instanceof HostStep.Check) {
                continue;
            }
            String result = s.result().equals("not run") ? "not-run" : s.result();
            b.add(Outcome.Kind.STEP, "step " + s.index(), s.action() + " " + result);
            if (result.equals("blocked")) {
                b.add(Outcome.Kind.COMPLETION, "completion " + s.index(), completion(s.completion()));
            }
            if (step instanceof HostStep.Close c && c.eventfd().kind() == FdRef.Kind.EVENTFD && result.equals("ok")) {
                closed.add(c.eventfd().name());
            }
        }
        Iterator<GuestWrites.Ref> writes = GuestWrites.of(scenario.guest()).iterator();
        for (Report.ExpectationResult e : r.expectations()) {
            Matcher m = CHECK.matcher(e.description());
            if (m.matches()) {
                String what = m.group(2);
                if (CheckKeys.comparable(what)) {
                    b.add(Outcome.Kind.CHECK, "check " + m.group(1) + " " + what, e.actual());
                }
            } else if (e.description().startsWith("guest vcpu ") && writes.hasNext()) {
                GuestWrites.Ref w = writes.next();
                Matcher c = WRITE_COUNTS.matcher(e.actual());
                if (!c.matches()) {
                    throw new IllegalStateException("unexpected write counts '" + e.actual() + "' for " + e.description());
                }
                b.add(Outcome.Kind.WRITE, "write " + w.vcpu() + " " + w.id(), "kernel " + c.group(1) + " userspace " + c.group(2));
            }
        }
        for (Map.Entry<String, Report.EventfdState> e : r.eventfds().entrySet()) {
            b.add(Outcome.Kind.EVENTFD, "eventfd " + e.getKey(),
                    closed.contains(e.getKey()) ? Comparator.CLOSED : "counter " + Long.toUnsignedString(e.getValue().counter()));
        }
        for (Report.VcpuState v : r.vcpus()) {
            for (Map.Entry<Integer, Long> d : v.delivered().entrySet()) {
                b.add(Outcome.Kind.VECTOR, String.format("vcpu %d vector 0x%02x delivered", v.vcpu(), d.getKey()), Long.toString(d.getValue()));
            }
        }
        for (Report.UserspaceExitCount u : r.userspaceExits()) {
            b.add(Outcome.Kind.USERSPACE_EXIT, "userspace_exit " + u.kind() + " 0x" + Long.toHexString(u.addr()) + " " + u.len()
                    + " 0x" + Long.toHexString(u.data()), "count " + u.count());
        }
        return b.build();
    }

    /** {@code completed at 3us: {value: 1}} to {@code {value: 1}}; a task never woken is {@code still-blocked}. */
    private static String completion(String c) {
        if (c == null) {
            return "still-blocked";
        }
        int colon = c.indexOf(": ");
        return c.startsWith(COMPLETED) && colon > 0 ? c.substring(colon + 2) : c;
    }

    /** The check lines of a results list, for tests. */
    static List<Outcome> checks(RunResults r) {
        return r.list().stream().filter(o -> o.kind() == Outcome.Kind.CHECK).toList();
    }
}
