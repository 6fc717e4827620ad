package dev.kvmsim.cli.progress;

import dev.kvmsim.core.Durations;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of a long run on a terminal's standard error: simulated time, trace events
 * seen and their rate, rewritten in place (carriage return) at most {@link #PERIOD_NS} apart.
 *
 * <p>It is driven by the run loop through the trace path: it wraps the run's trace sink (or
 * stands alone), counts the events passing through, and every {@link #CHECK_EVERY} events looks
 * at the wall clock. The simulation's results do not depend on tracing, so a run with progress
 * gives the same report as one without. Nothing is shown when standard error is not a terminal
 * ({@code System.console() == null}): CI logs stay clean.
 */
public final class Progress implements TraceSink {
    /** Refresh at most four times a second. */
    static final long PERIOD_NS = 250_000_000L;
    /** Events between two looks at the clock: keeps the check off the profile. */
    static final int CHECK_EVERY = 4096;
    /** Runs shorter than this (wall clock) print nothing at all. */
    static final long QUIET_START_NS = 500_000_000L;

    private final PrintWriter err;
    private final TraceSink inner;
    private final LongSupplier clock;
    private final long started;
    private long lastPrint;
    private long events;
    private long simNs;
    private int countdown = CHECK_EVERY;
    private boolean printed;

    Progress(PrintWriter err, TraceSink inner, LongSupplier clock) {
        this.err = err;
        this.inner = inner;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrint = started;
    }

    /** A progress line on {@code err} wrapping {@code inner} (may be null), or null when stderr is not a terminal. */
    public static Progress forTerminal(PrintWriter err, TraceSink inner) {
        if (System.console() == null) {
            return null;
        }
        return new Progress(err, inner, System::nanoTime);
    }

    @Override
    public void accept(TraceEvent e) {
        if (inner != null) {
            inner.accept(e);
        }
        events++;
        simNs = e.time();
        if (--countdown == 0) {
            countdown = CHECK_EVERY;
            check();
        }
    }

    private void check() {
        long now = clock.getAsLong();
        if (now - lastPrint < PERIOD_NS || now - started < QUIET_START_NS) {
            return;
        }
        lastPrint = now;
        double seconds = (now - started) / 1e9;
        err.print(String.format(Locale.ROOT, "\rkvmsim: simulated %s, %,d trace events, %,.0f events/s   ",
                Durations.format(simNs), events, events / seconds));
        err.flush();
        printed = true;
    }

    @Override
    public void close() {
        if (inner != null) {
            inner.close();
        }
    }

    /** Clears the progress line (if one was printed). */
    public void finish() {
        if (printed) {
            err.print("\r" + " ".repeat(78) + "\r");
            err.flush();
        }
    }

    /** True when a progress line has been printed. */
    boolean printed() {
        return printed;
    }
}
