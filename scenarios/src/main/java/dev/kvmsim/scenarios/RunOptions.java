package dev.kvmsim.scenarios;

import dev.kvmsim.core.trace.TraceSink;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * How to run a scenario: overrides of its seed, time limit and costs, and where trace events
 * go ({@code null}: tracing off, nothing is built). The caller that made the sink closes it;
 * the runner only feeds it.
 *
 * @param costsOverride named costs ({@code "exit.pio" -> "exp(300ns)"}) applied over the scenario's {@code vm.costs}
 * @param maxEvents     the event budget (0: none; {@link #DEFAULT_MAX_EVENTS} by default); a run that reaches it with
 *                      work pending stops there and its report says so ({@link Report#stopped})
 * @param progress      told of the run's advance every {@link ProgressListener#EVERY_EVENTS} events (null: none);
 *                      it does not change the run
 */
public record RunOptions(OptionalLong seedOverride, OptionalLong untilOverride, Map<String, String> costsOverride,
                         TraceSink traceSink, long maxEvents, ProgressListener progress) {

    /** The default event budget: about ten seconds of simulation on one core (docs/cli.md, "Limits"). */
    public static final long DEFAULT_MAX_EVENTS = 100_000_000L;

    /** Told how far a run has got; called from the simulation loop, so it must be cheap. */
    @FunctionalInterface
    public interface ProgressListener {
        /** Events between two calls. */
        int EVERY_EVENTS = 4096;

        void progress(long simulatedNs, long events);
    }

    public RunOptions {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents must not be negative: " + maxEvents);
        }
        costsOverride = java.util.Collections.unmodifiableMap(new TreeMap<>(costsOverride));
    }

    public RunOptions(OptionalLong seedOverride, OptionalLong untilOverride, Map<String, String> costsOverride, TraceSink traceSink) {
        this(seedOverride, untilOverride, costsOverride, traceSink, DEFAULT_MAX_EVENTS, null);
    }

    public RunOptions(OptionalLong seedOverride, OptionalLong untilOverride, Map<String, String> costsOverride,
                      TraceSink traceSink, long maxEvents) {
        this(seedOverride, untilOverride, costsOverride, traceSink, maxEvents, null);
    }

    public static RunOptions defaults() {
        return new RunOptions(OptionalLong.empty(), OptionalLong.empty(), Map.of(), null, DEFAULT_MAX_EVENTS, null);
    }

    public RunOptions withSeed(long seed) {
        return new RunOptions(OptionalLong.of(seed), untilOverride, costsOverride, traceSink, maxEvents, progress);
    }

    public RunOptions withUntil(long untilNs) {
        return new RunOptions(seedOverride, OptionalLong.of(untilNs), costsOverride, traceSink, maxEvents, progress);
    }

    public RunOptions withTrace(TraceSink sink) {
        return new RunOptions(seedOverride, untilOverride, costsOverride, sink, maxEvents, progress);
    }

    public RunOptions withCosts(Map<String, String> costs) {
        return new RunOptions(seedOverride, untilOverride, costs, traceSink, maxEvents, progress);
    }

    public RunOptions withMaxEvents(long max) {
        return new RunOptions(seedOverride, untilOverride, costsOverride, traceSink, max, progress);
    }

    public RunOptions withProgress(ProgressListener listener) {
        return new RunOptions(seedOverride, untilOverride, costsOverride, traceSink, maxEvents, listener);
    }
}
