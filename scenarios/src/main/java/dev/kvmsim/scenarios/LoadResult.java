package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.Scenario;

import java.util.List;
import java.util.Optional;

/** A loaded scenario, or every error found in its file (never both). */
public record LoadResult(Optional<Scenario> scenario, List<ScenarioError> errors) {

    public LoadResult {
        errors = List.copyOf(errors);
        if (scenario.isPresent() == !errors.isEmpty()) {
            throw new IllegalArgumentException("a load result has a scenario or errors, not both or neither");
        }
    }

    public static LoadResult ok(Scenario s) {
        return new LoadResult(Optional.of(s), List.of());
    }

    public static LoadResult failed(List<ScenarioError> errors) {
        return new LoadResult(Optional.empty(), errors);
    }

    public boolean ok() {
        return scenario.isPresent();
    }

    /** The scenario; throws {@link IllegalStateException} listing the errors when there is none. */
    public Scenario orThrow() {
        return scenario.orElseThrow(() -> new IllegalStateException(String.join("\n", errors.stream().map(ScenarioError::render).toList())));
    }
}
