package dev.kvmsim.cli.progress;

import dev.kvmsim.core.Durations;
import dev.kvmsim.scenarios.RunOptions;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line of a long run on a terminal's standard error: simulated time, simulation
 * events and their rate, rewritten in place (carriage return) at most {@link #PERIOD_NS} apart.
 *
 * <p>The run loop calls it every {@link RunOptions.ProgressListener#EVERY_EVENTS} events; it
 * looks at the wall clock then, and leaves tracing as it was (off stays off and costs nothing).
 * Nothing is shown when standard error is not a terminal ({@code System.console() == null}):
 * CI logs stay clean.
 */
public final class Progress implements RunOptions.ProgressListener {
    /** Refresh at most four times a second. */
    static final long PERIOD_NS = 250_000_000L;
    /** Runs shorter than this (wall clock) print nothing at all. */
    static final long QUIET_START_NS = 500_000_000L;

    private final PrintWriter err;
    private final LongSupplier clock;
    private final long started;
    private long lastPrint;
    private boolean printed;

    Progress(PrintWriter err, LongSupplier clock) {
        this.err = err;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastPrint = started;
    }

    /** A progress line on {@code err}, or null when stderr is not a terminal. */
    public static Progress forTerminal(PrintWriter err) {
        if (System.console() == null) {
            return null;
        }
        return new Progress(err, System::nanoTime);
    }

    @Override
    public void progress(long simNs, long events) {
        long now = clock.getAsLong();
        if (now - lastPrint < PERIOD_NS || now - started < QUIET_START_NS) {
            return;
        }
        lastPrint = now;
        double seconds = (now - started) / 1e9;
        err.print(String.format(Locale.ROOT, "\rkvmsim: simulated %s, %,d events, %,.0f events/s   ",
                Durations.format(simNs), events, events / seconds));
        err.flush();
        printed = true;
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
