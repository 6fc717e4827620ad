/**
 * Parameter sweeps: a grid of field overrides of one scenario, each run a pure function of
 * (scenario text, overrides, seed) to a row of report columns ({@link dev.kvmsim.scenarios.sweep.SweepRunner#run}),
 * so the local sweep and a distributed engine (the {@code sweep-spark} module) compute the same rows.
 */
package dev.kvmsim.scenarios.sweep;
