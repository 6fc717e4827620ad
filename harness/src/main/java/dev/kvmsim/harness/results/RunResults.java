package dev.kvmsim.harness.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The observable outcomes of one scenario run (on the real kernel or in the model), keyed
 * by what was observed, in the order they were written.
 *
 * @param complete  the run's section ended with {@code end} (a harness that crashed or was killed leaves it out)
 * @param timings   {@code timing NAME NS} lines (operations the harness timed, for calibration; never compared)
 * @param line      the line of its {@code scenario} record (0 for the model)
 */
public record RunResults(String scenario, Map<String, Outcome> outcomes, boolean complete, SortedMap<String, Long> timings, int line) {

    public RunResults {
        outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        timings = Collections.unmodifiableSortedMap(new TreeMap<>(timings));
    }

    public List<Outcome> list() {
        return new ArrayList<>(outcomes.values());
    }

    /** The results file text of this run (the format the harness prints). */
    public String render() {
        StringBuilder sb = new StringBuilder(ResultsFormat.HEADER).append('\n');
        sb.append("scenario ").append(scenario).append('\n');
        for (Outcome o : outcomes.values()) {
            sb.append(o.render()).append('\n');
        }
        timings.forEach((k, v) -> sb.append("timing ").append(k).append(' ').append(v).append('\n'));
        if (complete) {
            sb.append("end\n");
        }
        return sb.toString();
    }

    /** Builds a run's outcomes in order; a later outcome with the same key replaces the earlier one. */
    public static final class Builder {
        private final String scenario;
        private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        private final SortedMap<String, Long> timings = new TreeMap<>();

        public Builder(String scenario) {
            this.scenario = scenario;
        }

        public Builder add(Outcome.Kind kind, String key, String value) {
            outcomes.put(key, new Outcome(kind, key, value, 0));
            return this;
        }

        public RunResults build() {
            return new RunResults(scenario, outcomes, true, timings, 0);
        }
    }
}
