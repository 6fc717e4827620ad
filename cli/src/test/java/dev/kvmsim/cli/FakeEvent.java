package dev.kvmsim.cli;

import dev.kvmsim.core.trace.TraceEvent;

/** A trace event for the CLI's own tests, independent of the KVM model's records. */
public record FakeEvent(long time, String task, int cpu, String event, String fields, String function,
                        boolean tracepoint) implements TraceEvent {
    public static FakeEvent tp(long time, String task, int cpu, String event, String fields, String function) {
        return new FakeEvent(time, task, cpu, event, fields, function, true);
    }

    public static FakeEvent model(long time, String task, int cpu, String event, String fields, String function) {
        return new FakeEvent(time, task, cpu, event, fields, function, false);
    }
}
