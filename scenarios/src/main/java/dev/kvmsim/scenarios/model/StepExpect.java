package dev.kvmsim.scenarios.model;

import dev.kvmsim.kvm.Errno;

/** A host step's {@code expect:}: ok, an errno, {@code {value: N}}, blocked, or {@code {errno: E, after: K}}. */
public sealed interface StepExpect {

    /** Rendered as in a scenario file (and in reports). */
    String render();

    record Ok() implements StepExpect {
        public String render() { return "ok"; }
    }

    record Err(Errno errno) implements StepExpect {
        public String render() { return errno.name(); }
    }

    /** {@code {value: N}}; N may be negative (irq_line's -1), kept as the 64-bit pattern. */
    record Value(long value) implements StepExpect {
        public String render() { return "{value: " + value + "}"; }
    }

    record Blocked() implements StepExpect {
        public String render() { return "blocked"; }
    }

    /** The (after+1)-th call of a repeated step failed with errno. */
    record ErrAfter(Errno errno, long after) implements StepExpect {
        public String render() { return "{errno: " + errno.name() + ", after: " + after + "}"; }
    }
}
