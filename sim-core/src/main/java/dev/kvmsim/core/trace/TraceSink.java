package dev.kvmsim.core.trace;

/** Where trace events go. A sink is installed on a {@code Simulation}; none means tracing is off. */
@FunctionalInterface
public interface TraceSink {
    /** The sink that means "tracing off"; installing it disables event construction at emit sites. */
    TraceSink OFF = e -> { };

    void accept(TraceEvent event);

    /** Called once at the end of a run (flush, close files). */
    default void close() { }
}
