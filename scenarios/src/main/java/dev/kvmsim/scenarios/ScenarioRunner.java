package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.run.Run;

/**
 * Runs a loaded scenario: builds the simulation and the VM, applies the host steps at their
 * times, starts host threads and guest programs, runs to {@code until} (or until nothing is
 * left to do), and evaluates the expectations into a {@link Report}.
 */
public final class ScenarioRunner {
    private ScenarioRunner() {}

    /**
     * Runs {@code scenario}. Cost overrides with unknown names or bad distributions are an
     * {@link IllegalArgumentException} (the loader checks the scenario's own).
     */
    public static Report run(Scenario scenario, RunOptions options) {
        return new Run(scenario, options).execute();
    }

    public static Report run(Scenario scenario) {
        return run(scenario, RunOptions.defaults());
    }
}
