package dev.kvmsim.harness.compare;

import dev.kvmsim.harness.results.Outcome;

/**
 * One observable outcome on which the model and the real kernel disagree.
 *
 * @param kind      what was observed (null for a difference of the run as a whole: an unfinished run)
 * @param key       the outcome's key ({@code step 3}, {@code vcpu 0 vector 0x31 delivered}, ...)
 * @param model     the model's value, or {@code (none)}
 * @param kernel    the real kernel's value, or {@code (none)}
 * @param line      the line in the results file (0 when the outcome is absent there)
 */
public record Difference(Outcome.Kind kind, String key, String model, String kernel, int line) {

    /** One line, as {@code kvmsim verify} prints it. */
    public String render() {
        String where = line > 0 ? "  (results line " + line + ")" : "";
        if (kind == Outcome.Kind.ERROR) {
            return "harness error: " + kernel + where;
        }
        return key + ": model " + model + ", kernel " + kernel + where;
    }
}
