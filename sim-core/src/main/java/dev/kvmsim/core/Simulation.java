package dev.kvmsim.core;

import dev.kvmsim.core.stats.Stats;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.util.SplittableRandom;

/**
 * The discrete-event engine: a {@code long} nanosecond clock and a future-event list.
 *
 * <p>Caveats: single-threaded (one simulation thread; concurrency in the modelled kernel is
 * interleaving of events in simulated time). Order is total and deterministic: event time,
 * then insertion sequence (FIFO among equal times). Handles are packed {@code long}s so that
 * scheduling allocates nothing; a handle stays valid until its event runs or is cancelled.
 * The clock never goes backwards and never passes {@link Long#MAX_VALUE}; {@link #run},
 * {@link #runUntil} and {@link #step} may not be called from inside an event.
 */
public final class Simulation {
    /**
     * The default zero-time-loop threshold: a run whose clock stays at one instant for more
     * than this many events (or a model loop that does this many steps of work inside one
     * event without time passing) is stopped with {@link RunLimitExceeded.Kind#ZERO_TIME_LOOP}.
     */
    public static final long ZERO_TIME_LIMIT = 10_000_000;

    private final long seed;
    private final EventQueue queue = new EventQueue();
    private final Stats stats = new Stats();
    private long now;
    private long eventsRun;
    /** Events run at {@link #now} since the clock last moved (the zero-time-loop detector). */
    private long sameInstant;
    private long zeroTimeLimit = ZERO_TIME_LIMIT;
    private boolean inEvent;
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

    /** Time of the earliest pending event, {@link Long#MAX_VALUE} when none is pending. */
    public long nextEventTime() { return queue.peekTime(); }

    /** The zero-time-loop threshold (default {@link #ZERO_TIME_LIMIT}); model loops inside one event use it too. */
    public long zeroTimeLimit() { return zeroTimeLimit; }

    /** Sets the zero-time-loop threshold (at least 1). */
    public void setZeroTimeLimit(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("zero-time limit must be at least 1: " + limit);
        }
        this.zeroTimeLimit = limit;
    }

    /**
     * Schedules {@code action} {@code delayNs} after now; returns a handle for {@link #cancel}.
     * A time past {@link Long#MAX_VALUE} ns is {@link RunLimitExceeded} ({@code END_OF_TIME}):
     * the run cannot represent it, and whoever drives the run stops there.
     */
    public long schedule(long delayNs, Runnable action) {
        long t = now + delayNs;
        // one test for both errors: a negative delay, or now + delay past Long.MAX_VALUE
        if ((delayNs | t) < 0) {
            throw badDelay(delayNs);
        }
        return queue.add(t, action);
    }

    /** Schedules {@code action} at absolute time {@code timeNs} (not earlier than now). */
    public long scheduleAt(long timeNs, Runnable action) {
        if (timeNs < now) {
            throw inThePast(timeNs);
        }
        return queue.add(timeNs, action);
    }

    /** Cancels a pending event; false when it already ran, was cancelled, or the handle is unknown. */
    public boolean cancel(long handle) {
        return queue.cancel(handle);
    }

    /** Runs the earliest pending event; false when nothing is pending. */
    public boolean step() {
        if (inEvent) {
            throw reentered("step");
        }
        return stepUnchecked();
    }

    private boolean stepUnchecked() {
        Runnable action = queue.pollOrNull();
        if (action == null) {
            return false;
        }
        long t = queue.polledTime();
        if (t == now) {
            if (++sameInstant > zeroTimeLimit) {
                throw zeroTimeLoop();
            }
        } else {
            sameInstant = 1;
            now = t;
        }
        eventsRun++;
        inEvent = true;
        try {
            action.run();
        } finally {
            inEvent = false;
        }
        return true;
    }

    /**
     * Runs events while one is pending at or before {@code limitNs} ({@code < 0}: no limit) and
     * fewer than {@code maxEvents} have run in all ({@code 0}: no budget); true when it stopped
     * on the budget with such an event still pending. Unlike {@link #runUntil} it leaves the
     * clock at the last event. Throws {@link RunLimitExceeded} from the zero-time-loop detector
     * and from events that would pass the end of time.
     */
    public boolean runBounded(long limitNs, long maxEvents) {
        if (inEvent) {
            throw reentered("runBounded");
        }
        long limit = limitNs < 0 ? Long.MAX_VALUE : limitNs;
        long budget = maxEvents == 0 ? Long.MAX_VALUE : maxEvents;
        while (!queue.isEmpty() && queue.peekTime() <= limit) {
            if (eventsRun >= budget) {
                return true;
            }
            stepUnchecked();
        }
        return false;
    }

    /** Runs until no event is pending. */
    public void run() {
        if (inEvent) {
            throw reentered("run");
        }
        while (stepUnchecked()) {
            // step does the work
        }
    }

    /**
     * Runs every event with time {@code <= limitNs} (events exactly at the limit run, including
     * ones they schedule at the limit), then sets the clock to {@code limitNs} if it is later
     * than now. Events after the limit stay pending; a limit before now does nothing.
     */
    public void runUntil(long limitNs) {
        if (inEvent) {
            throw reentered("runUntil");
        }
        while (!queue.isEmpty() && queue.peekTime() <= limitNs) {
            stepUnchecked();
        }
        if (limitNs > now) {
            now = limitNs;
        }
    }

    /** Named random stream, independent of every other name (see {@link RandomStreams}). */
    public SplittableRandom random(String name) {
        return RandomStreams.stream(seed, name);
    }

    // ---- tracing: off costs one boolean test at the emit site ----

    /** True when a sink is installed; callers build trace events only when this is true. */
    public boolean tracing() { return tracing; }

    /** Installs a sink; {@code null} or {@link TraceSink#OFF} turns tracing off. */
    public void setTraceSink(TraceSink sink) {
        this.sink = sink == null ? TraceSink.OFF : sink;
        this.tracing = this.sink != TraceSink.OFF;
    }

    public TraceSink traceSink() { return sink; }

    /** Passes {@code event} to the sink when tracing is on (callers test {@link #tracing} first). */
    public void trace(TraceEvent event) {
        if (tracing) {
            sink.accept(event);
        }
    }

    // Throw sites kept out of line so the scheduling fast path stays small.
    private RuntimeException badDelay(long delayNs) {
        if (delayNs < 0) {
            return new IllegalArgumentException("cannot schedule in the past: delay " + delayNs + " ns is negative (now " + now + " ns)");
        }
        return endOfTime(delayNs);
    }

    private RunLimitExceeded endOfTime(long delayNs) {
        return new RunLimitExceeded(RunLimitExceeded.Kind.END_OF_TIME, "an event " + Long.toUnsignedString(delayNs) + " ns after "
                + Durations.format(now) + " would pass the end of representable simulated time (2^63-1 ns, about 292 years)");
    }

    private RunLimitExceeded zeroTimeLoop() {
        return new RunLimitExceeded(RunLimitExceeded.Kind.ZERO_TIME_LOOP, "zero-time loop: more than " + zeroTimeLimit
                + " events at " + Durations.format(now) + " without the clock moving");
    }

    private IllegalArgumentException inThePast(long timeNs) {
        return new IllegalArgumentException("cannot schedule in the past: time " + timeNs + " ns is before now " + now + " ns");
    }

    private IllegalStateException reentered(String what) {
        return new IllegalStateException(what + "() called from inside an event at " + now + " ns; schedule an event instead");
    }
}
