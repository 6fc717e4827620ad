package dev.kvmsim.harness;

import dev.kvmsim.harness.compare.Comparator;
import dev.kvmsim.harness.compare.Difference;
import dev.kvmsim.harness.compare.HostQuirks;
import dev.kvmsim.harness.gen.Support;
import dev.kvmsim.harness.model.ModelOutcomes;
import dev.kvmsim.harness.results.RunResults;
import dev.kvmsim.scenarios.model.Scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The differential check of one scenario: the model's outcomes against a real-kernel run's.
 *
 * @param differences  every difference (including those marked as known host quirks)
 * @param quirks       for each difference, the host quirk it is marked with, or null
 */
public record Verification(String file, String scenario, Status status, int outcomes, List<Difference> differences,
                           List<String> quirks, List<Support.Finding> unsupported) {

    /** AGREE: no difference, or only marked host quirks. */
    public enum Status { AGREE, DIFFER, SKIPPED, MISSING }

    public Verification {
        differences = List.copyOf(differences);
        quirks = new ArrayList<>(quirks);
        unsupported = List.copyOf(unsupported);
    }

    /** A scenario the harness cannot run. */
    public static Verification skipped(String file, Scenario s, List<Support.Finding> why) {
        return new Verification(file, s.name(), Status.SKIPPED, 0, List.of(), List.of(), why);
    }

    /** A scenario the results file has no section for. */
    public static Verification missing(String file, Scenario s) {
        return new Verification(file, s.name(), Status.MISSING, 0, List.of(), List.of(), List.of());
    }

    /** Compares the model's run of {@code s} with {@code kernel}. */
    public static Verification of(String file, Scenario s, RunResults kernel, HostQuirks marks) {
        RunResults model = ModelOutcomes.of(s);
        List<Difference> d = Comparator.compare(model, kernel);
        List<String> q = new ArrayList<>();
        boolean unexplained = false;
        for (Difference x : d) {
            String quirk = marks.quirkOf(x);
            q.add(quirk);
            unexplained |= quirk == null;
        }
        return new Verification(file, s.name(), unexplained ? Status.DIFFER : Status.AGREE, model.outcomes().size(), d, q, List.of());
    }

    /** The lines {@code kvmsim verify} prints for this scenario. */
    public List<String> render() {
        List<String> out = new ArrayList<>();
        String head = file + " (" + scenario + ")";
        switch (status) {
            case AGREE -> out.add("AGREE " + head + ": " + outcomes + " outcomes" + (differences.isEmpty() ? "" : ", "
                    + differences.size() + " known host-quirk difference(s)"));
            case DIFFER -> out.add("DIFFER " + head + ": " + differences.size() + " difference(s) in " + outcomes + " outcomes");
            case SKIPPED -> out.add("SKIP " + head + ": not supported by the harness: " + unsupported.get(0).render());
            case MISSING -> out.add("MISSING " + head + ": no results for this scenario");
        }
        for (int i = 0; i < differences.size(); i++) {
            String quirk = quirks.get(i);
            out.add("  " + differences.get(i).render() + (quirk == null ? "" : "  [known: host-quirk " + quirk + "]"));
        }
        return out;
    }
}
