package dev.kvmsim.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HoldModelTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 100, 1000})
    void everyVariant_endsAtTheSameClock(int n) {
        // docs/hold-benchmark.md: same draws, same conversion, so the same multiset of times and final clock
        long m = 20_000;
        long pq = HoldModel.run("pq-raw", n, m, 42).finalClock();
        assertEquals(pq, HoldModel.run("raw", n, m, 42).finalClock());
        assertEquals(pq, HoldModel.run("full", n, m, 42).finalClock());
        assertTrue(pq > 0);
    }

    @Test
    void finalClock_isTheTimeOfTheLastHoldOfAReferenceQueue() {
        // an independent reference: a sorted array of times, re-sorted after every hold
        int n = 50;
        long m = 3000;
        SplittableRandom r = new SplittableRandom(42);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = HoldModel.delay(HoldModel.exp1(r));
        }
        long now = 0;
        for (long i = 0; i < m + m / 10; i++) {
            java.util.Arrays.sort(times);
            now = times[0];
            times[0] = now + HoldModel.delay(HoldModel.exp1(r));
        }
        assertEquals(now, HoldModel.run("full", n, m, 42).finalClock());
    }

    @Test
    void exp1_isInversionOfOneUniform() {
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        assertEquals(-Math.log(1.0 - b.nextDouble()), HoldModel.exp1(a));
        assertEquals(1_500_000_000L, HoldModel.delay(1.5));
    }

    @Test
    void run_badArguments_areRejected() {
        assertThrows(IllegalArgumentException.class, () -> HoldModel.run("splay", 10, 10, 42));
        assertThrows(IllegalArgumentException.class, () -> HoldModel.run("raw", 0, 10, 42));
    }
}
