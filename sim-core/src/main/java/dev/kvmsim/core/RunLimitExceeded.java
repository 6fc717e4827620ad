package dev.kvmsim.core;

/**
 * A run cannot go on within the engine's hard limits: thrown from inside an event (or from the
 * run loop) and caught by whoever drives the run, which stops there, keeps what was measured up
 * to that point and says why. Not a bug in the model: the scenario asked for more than a run can
 * give (docs/cli.md, "Limits").
 */
public final class RunLimitExceeded extends RuntimeException {
    /** Which limit was reached. */
    public enum Kind {
        /** More simulation events than the run's budget ({@code --max-events}). */
        EVENT_BUDGET,
        /** More than {@link Simulation#ZERO_TIME_LIMIT} steps of work at one simulated instant. */
        ZERO_TIME_LOOP,
        /** An event would fall after the last representable instant (2^63-1 ns). */
        END_OF_TIME
    }

    private final Kind kind;

    public RunLimitExceeded(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
