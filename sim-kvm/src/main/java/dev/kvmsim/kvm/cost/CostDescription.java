package dev.kvmsim.kvm.cost;

/**
 * One cost as the README table and {@code kvmsim explain} print it.
 *
 * @param name     the stable dotted name
 * @param value    the distribution in force, in its canonical text form ({@code const(225ns)})
 * @param meanNs   its mean in nanoseconds
 * @param cycles   the default in TSC cycles
 * @param source   where the default comes from
 * @param estimate true when no published figure backs the default
 * @param overridden true when the scenario replaced the default
 */
public record CostDescription(String name, String value, double meanNs, long cycles, String source,
                              boolean estimate, boolean overridden) {
}
