package dev.kvmsim.core.stats;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The statistics of one run: named counters and latency recorders, created on first use and
 * keyed by stable names ({@code "irqfd.inject"}, {@code "ioeventfd.latency"}).
 *
 * <p>Caveats: not thread-safe. Counters and latencies have separate name spaces. Iteration is
 * in sorted name order so reports are deterministic. Hot paths should keep the returned
 * {@link Counter} / {@link LatencyRecorder} rather than look it up per event.
 */
public final class Stats {
    private final TreeMap<String, Counter> counters = new TreeMap<>();
    private final TreeMap<String, LatencyRecorder> latencies = new TreeMap<>();

    /** The counter called {@code name}, created at zero on first use. */
    public Counter counter(String name) {
        return counters.computeIfAbsent(checkName(name), Counter::new);
    }

    /** The latency recorder called {@code name}, created empty on first use. */
    public LatencyRecorder latency(String name) {
        return latencies.computeIfAbsent(checkName(name), LatencyRecorder::new);
    }

    /** Every counter, in sorted name order (read-only view). */
    public SortedMap<String, Counter> counters() {
        return Collections.unmodifiableSortedMap(counters);
    }

    /** Every latency recorder, in sorted name order (read-only view). */
    public SortedMap<String, LatencyRecorder> latencies() {
        return Collections.unmodifiableSortedMap(latencies);
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a stats name must be non-empty, got " + (name == null ? "null" : "\"" + name + "\""));
        }
        return name;
    }
}
