package dev.kvmsim.cli;

import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.model.Scenario;
import java.util.List;

/** Loads the scenario a command names (a path or a built-in name) or fails with its errors. */
public final class ScenarioFiles {
    private ScenarioFiles() { }

    /** The scenario {@code arg} names; throws {@link UserError} with one line per load error. */
    public static Scenario load(String arg) {
        LoadResult r = ScenarioLoader.load(arg);
        if (!r.ok()) {
            throw new UserError(lines(r.errors()));
        }
        return r.scenario().orElseThrow();
    }

    /** Each error as {@code file:line:col: path: message}. */
    public static List<String> lines(List<ScenarioError> errors) {
        return errors.stream().map(ScenarioError::render).toList();
    }
}
