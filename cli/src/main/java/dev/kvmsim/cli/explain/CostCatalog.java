package dev.kvmsim.cli.explain;

import dev.kvmsim.core.trace.TraceEvent;
import java.util.List;

/**
 * What the narration knows of the cost model: which named costs may make up the time before a
 * step, and each cost's mean and one-line description.
 */
public interface CostCatalog {
    /** No cost model at hand: steps show their time deltas only. */
    CostCatalog NONE = new CostCatalog() {
        @Override
        public List<String> candidates(TraceEvent e, TraceEvent previousOfTask) {
            return List.of();
        }

        @Override
        public double meanNs(String cost) {
            return Double.NaN;
        }

        @Override
        public String describe(String cost) {
            return cost;
        }
    };

    /**
     * The costs that may be spent between {@code previousOfTask} (null: none) and {@code e},
     * on {@code e}'s task; entries starting with {@code "scenario:"} are scenario-set times.
     */
    List<String> candidates(TraceEvent e, TraceEvent previousOfTask);

    /** The mean of {@code cost} in ns; NaN when unknown. */
    double meanNs(String cost);

    /** True when no published figure backs {@code cost} (docs/costs.md: label estimates as such). */
    default boolean estimate(String cost) {
        return false;
    }

    /** {@code cost}'s value and provenance ("const(3us), an estimate"). */
    String describe(String cost);
}
