package dev.kvmsim.core;

import dev.kvmsim.core.stats.Stats;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;

/**
 * The discrete-event engine: a {@code long} nanosecond clock and a future-event list.
 *
 * <p>Caveats: single-threaded (one simulation thread; concurrency in the modelled kernel is
 * interleaving of events in simulated time). Order is total and deterministic: event time,
 * then insertion sequence (FIFO among equal times). Handles are packed {@code long}s so that
 * scheduling allocates nothing; a handle stays valid until its event runs or is cancelled.
 */
public final class Simulation {
    private final long seed;
    private final EventQueue queue = new EventQueue();
    private final Stats stats = new Stats();
    private long now;
    private long eventsRun;
    private TraceSink sink = TraceSink.OFF;
    private boolean tracing;

    public Simulation(long seed) {
        this.seed = seed;
    }

    public long seed() { return seed; }

    /** Current simulated time, nanoseconds since the start of the run. */
    public long now() { return now; }

    /** The run's counters and latency recorders. */
    public Stats stats() { return stats; }

    /** Number of events executed so far. */
    public long eventsRun() { return eventsRun; }

    /** Number of events pending. */
    public int pending() { return queue.size(); }

    /** Schedules {@code action} {@code delayNs} after now; returns a handle for {@link #cancel}. */
    public long schedule(long delayNs, Runnable action) {
        if (delayNs < 0) {
            throw negativeDelay(delayNs);
        }
        return queue.add(now + delayNs, action);
    }

    /** Schedules {@code action} at absolute time {@code timeNs} (not earlier than now). */
    public long scheduleAt(long timeNs, Runnable action) {
        if (timeNs < now) {
            throw inThePast(timeNs);
        }
        return queue.add(timeNs, action);
    }

    /** Cancels a pending event; false when it already ran or was cancelled. */
    public boolean cancel(long handle) {
        return queue.cancel(handle);
    }

    /** Runs the earliest pending event; false when nothing is pending. */
    public boolean step() {
        if (queue.isEmpty()) {
            return false;
        }
        now = queue.peekTime();
        Runnable action = queue.poll();
        eventsRun++;
        action.run();
        return true;
    }

    /** Runs until no event is pending. */
    public void run() {
        while (step()) {
            // step does the work
        }
    }

    /**
     * Runs every event with time {@code <= limitNs}, then sets the clock to {@code limitNs}
     * (if it is later than now). Events after the limit stay pending.
     */
    public void runUntil(long limitNs) {
        while (!queue.isEmpty() && queue.peekTime() <= limitNs) {
            step();
        }
        if (limitNs > now) {
            now = limitNs;
        }
    }

    /** Named random stream, independent of every other name (see {@link RandomStreams}). */
    public java.util.SplittableRandom random(String name) {
        return RandomStreams.stream(seed, name);
    }

    // ---- tracing: off costs one boolean test at the emit site ----

    /** True when a sink is installed; callers build trace events only when this is true. */
    public boolean tracing() { return tracing; }

    public void setTraceSink(TraceSink sink) {
        this.sink = sink == null ? TraceSink.OFF : sink;
        this.tracing = sink != null && sink != TraceSink.OFF;
    }

    public TraceSink traceSink() { return sink; }

    public void trace(TraceEvent event) {
        if (tracing) {
            sink.accept(event);
        }
    }

    // Throw sites kept out of line so the scheduling fast path stays small.
    private IllegalArgumentException negativeDelay(long delayNs) {
        return new IllegalArgumentException("cannot schedule in the past: delay " + delayNs + " ns is negative (now " + now + " ns)");
    }

    private IllegalArgumentException inThePast(long timeNs) {
        return new IllegalArgumentException("cannot schedule in the past: time " + timeNs + " ns is before now " + now + " ns");
    }
}
