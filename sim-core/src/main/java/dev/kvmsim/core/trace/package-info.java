/**
 * Tracing: typed immutable events ({@link dev.kvmsim.core.trace.TraceEvent}, implemented by
 * records) and the sinks they go to. Emit sites build an event only when
 * {@code Simulation.tracing()} is true, so tracing off allocates and formats nothing.
 */
package dev.kvmsim.core.trace;
