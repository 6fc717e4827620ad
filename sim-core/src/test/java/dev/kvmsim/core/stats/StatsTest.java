package dev.kvmsim.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.core.Simulation;
import java.util.List;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void counter_countsAndIsKeyedByName() {
        Stats s = new Stats();
        s.counter("exits").increment();
        s.counter("exits").add(4);
        s.counter("signals").increment();
        assertEquals(5, s.counter("exits").get());
        assertEquals(1, s.counter("signals").get());
        assertSame(s.counter("exits"), s.counter("exits"));
    }

    @Test
    void names_iterateInSortedOrder() {
        Stats s = new Stats();
        for (String n : List.of("zeta", "alpha", "mid", "alpha.b")) {
            s.counter(n);
            s.latency(n);
        }
        assertEquals(List.of("alpha", "alpha.b", "mid", "zeta"), new ArrayList<>(s.counters().keySet()));
        assertEquals(List.of("alpha", "alpha.b", "mid", "zeta"), new ArrayList<>(s.latencies().keySet()));
    }

    @Test
    void views_areReadOnly() {
        Stats s = new Stats();
        s.counter("a");
        assertThrows(UnsupportedOperationException.class, () -> s.counters().clear());
        assertThrows(UnsupportedOperationException.class, () -> s.latencies().clear());
    }

    @Test
    void latency_percentilesOfOneToTenThousand() {
        LatencyRecorder r = new Stats().latency("lat");
        for (long v = 1; v <= 10_000; v++) {
            r.record(v);
        }
        assertEquals(10_000, r.count());
        assertEquals(1, r.min());
        assertEquals(10_000, r.max());
        assertEquals(5000.5, r.mean(), 1e-9);
        // HdrHistogram with 3 significant digits: within 0.1%
        assertEquals(5000, r.percentile(50), 5);
        assertEquals(9900, r.percentile(99), 10);
        assertEquals(10_000, r.percentile(100));
        assertEquals(1, r.percentile(0));
    }

    @Test
    void latency_exactMinMaxAndPercentilesClampedToThem() {
        LatencyRecorder r = new Stats().latency("lat");
        r.record(123_456_789);
        r.record(123_456_789);
        assertEquals(123_456_789, r.percentile(50));
        assertEquals(123_456_789, r.percentile(100));
        assertEquals(123_456_789, r.min());
        assertEquals(123_456_789, r.max());
    }

    @Test
    void latency_meanNeverExceedsMaxForHugeValues() {
        LatencyRecorder r = new Stats().latency("lat");
        long big = Long.MAX_VALUE - 1; // as a double it rounds up to 2^63
        r.record(big);
        r.record(big);
        assertTrue(r.meanNs() <= r.max(), "mean " + r.meanNs() + " > max " + r.max());
        assertEquals(big, r.meanNs());
        r.record(big - 4); // exact mean big - 4/3: rounds to big - 1
        assertEquals(big - 1, r.meanNs());
    }

    @Test
    void latency_empty_reportsZero() {
        LatencyRecorder r = new Stats().latency("lat");
        assertEquals(0, r.count());
        assertEquals(0, r.min());
        assertEquals(0, r.max());
        assertEquals(0.0, r.mean());
        assertEquals(0, r.percentile(99));
    }

    @Test
    void latency_largeValues_autoResize() {
        LatencyRecorder r = new Stats().latency("lat");
        r.record(3_600_000_000_000L); // one hour
        r.record(1);
        assertEquals(3_600_000_000_000L, r.max());
        assertEquals(3_600_000_000_000L, r.percentile(100));
    }

    @Test
    void latency_negativeOrBadPercentile_isRejected() {
        LatencyRecorder r = new Stats().latency("lat");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.record(-1));
        assertTrue(e.getMessage().contains("lat"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.percentile(101));
        assertThrows(IllegalArgumentException.class, () -> r.percentile(Double.NaN));
    }

    @Test
    void latency_toString_isCompact() {
        LatencyRecorder r = new Stats().latency("ioeventfd");
        r.record(1500);
        assertEquals("ioeventfd: count 1 min 1.5us p50 1.5us p99 1.5us max 1.5us mean 1.5us", r.toString());
    }

    @Test
    void names_mustBeNonEmpty() {
        Stats s = new Stats();
        assertThrows(IllegalArgumentException.class, () -> s.counter(""));
        assertThrows(IllegalArgumentException.class, () -> s.latency(" "));
        assertThrows(IllegalArgumentException.class, () -> s.counter(null));
    }

    @Test
    void simulation_hasOneStatsPerRun() {
        Simulation sim = new Simulation(1);
        sim.stats().counter("events").increment();
        assertEquals(1, sim.stats().counter("events").get());
        assertEquals(0, new Simulation(1).stats().counters().size());
    }
}
