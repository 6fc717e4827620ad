package dev.kvmsim.core.trace;

/**
 * A typed, immutable trace event (implemented by records). The same events feed the text,
 * ftrace-style, JSON-lines and Chrome trace sinks and the teaching narration.
 */
public interface TraceEvent {
    /** Simulated time in nanoseconds. */
    long time();

    /** The task that emitted it, as ftrace names tasks ({@code vcpu0}, {@code kworker/0:1}, {@code vhost-net}). */
    String task();

    /** The (simulated) CPU it ran on. */
    int cpu();

    /** The tracepoint-style event name ({@code kvm_exit}, {@code kvm_set_irq}, ...). */
    String event();

    /** The fields rendered as the kernel's TP_printk format would render them. */
    String fields();

    /** The kernel function this step models ({@code ioeventfd_write}); may be empty. */
    default String function() { return ""; }

    /**
     * True for events that stand for a real kernel tracepoint (shown by the ftrace sink);
     * false for model-only steps (an ioeventfd match, a wait-queue walk) that only the
     * narration and the Chrome/JSON sinks show.
     */
    default boolean tracepoint() { return true; }
}
