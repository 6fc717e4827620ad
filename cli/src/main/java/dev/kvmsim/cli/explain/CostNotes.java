package dev.kvmsim.cli.explain;

import dev.kvmsim.core.trace.TraceEvent;
import java.util.Optional;

/**
 * Where the cost of a step comes from, for the narration: for a step whose time the cost model
 * sets, a short note naming the cost and whether its figure is published or an estimate.
 */
@FunctionalInterface
public interface CostNotes {
    /** No notes (no cost model at hand). */
    CostNotes NONE = e -> Optional.empty();

    Optional<String> note(TraceEvent step);
}
