package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The empirical distribution kind {@code quantiles(P:D,...)}: a table of quantiles sampled by inversion. */
class QuantilesDistributionTest {
    @Test
    void parse_roundTripsThroughItsCanonicalForm() {
        Distribution d = Distribution.parse("quantiles(0.5:1.8us, 0.99:2.4us)");
        assertEquals("quantiles(0.5:1.8us,0.99:2.4us)", d.toString());
        assertEquals(d, Distribution.parse(d.toString()));
    }

    @Test
    void inverse_isLinearBetweenPointsAndFlatOutside() {
        Distribution.Quantiles q = (Distribution.Quantiles) Distribution.parse("quantiles(0.5:1us,0.9:5us,1:9us)");
        assertEquals(1_000, q.inverse(0.1)); // below the first point
        assertEquals(1_000, q.inverse(0.5));
        assertEquals(3_000, q.inverse(0.7)); // halfway from 0.5 to 0.9
        assertEquals(7_000, q.inverse(0.95));
        // mean: 0.5*1us + 0.4*(1+5)/2 + 0.1*(5+9)/2 = 0.5 + 1.2 + 0.7 us
        assertEquals(2_400, q.mean(), 1e-9);
    }

    @Test
    void samples_reproduceTheTablesQuantiles() {
        Distribution d = Distribution.parse("quantiles(0.5:20us,0.99:100us)");
        SplittableRandom r = new SplittableRandom(7);
        long[] s = new long[100_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = d.sample(r);
        }
        Arrays.sort(s);
        assertEquals(20_000, s[49_999], 200); // the median
        assertEquals(100_000, s[98_999], 1_000); // p99
        assertTrue(s[0] >= 20_000 && s[s.length - 1] <= 100_000);
    }

    @Test
    void badTables_areRejectedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> Distribution.parse("quantiles()"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("quantiles(0.9:1us,0.5:2us)"));
        assertTrue(e.getMessage().contains("probabilities must increase"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("quantiles(0.5:2us,0.9:1us)"));
        assertTrue(e.getMessage().contains("durations must not decrease"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("quantiles(1.5:2us)"));
        assertTrue(e.getMessage().contains("not in [0, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("quantiles(2us)"));
        assertTrue(e.getMessage().contains("is not P:D"), e.getMessage());
    }
}
