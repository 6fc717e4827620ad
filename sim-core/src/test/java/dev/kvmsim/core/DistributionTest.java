package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistributionTest {
    private static final int SAMPLES = 200_000;

    @Test
    void parse_plainDuration_isAConstant() {
        Distribution d = Distribution.parse("2us");
        assertEquals(Distribution.constant(2000), d);
        assertEquals(2000, d.sample(new SplittableRandom(1)));
        assertEquals(2000.0, d.mean());
    }

    @Test
    void parse_everyForm() {
        assertEquals(Distribution.constant(1000), Distribution.parse("const(1us)"));
        assertEquals(Distribution.exponential(3000), Distribution.parse("exp(3us)"));
        assertEquals(Distribution.uniform(1000, 5000), Distribution.parse("uniform(1us,5us)"));
        assertEquals(Distribution.uniform(1000, 5000), Distribution.parse(" uniform( 1us , 5us ) "));
        assertEquals(Distribution.normal(2000, 200), Distribution.parse("normal(2us,200ns)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"const(1us)", "exp(3us)", "uniform(1us,5us)", "normal(2us,200ns)", "uniform(0ns,0ns)"})
    void toString_parsesBackToAnEqualDistribution(String text) {
        Distribution d = Distribution.parse(text);
        assertEquals(text, d.toString());
        assertEquals(d, Distribution.parse(d.toString()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                    | empty",
        "5                     | no unit",
        "gamma(1us)            | unknown distribution \"gamma\"",
        "exp()                 | exp takes 1 argument, got 0",
        "exp(1us,2us)          | exp takes 1 argument, got 2",
        "const(1us,2us)        | const takes 1 argument, got 2",
        "uniform(1us)          | uniform takes 2 arguments, got 1",
        "uniform(1us,2us,3us)  | uniform takes 2 arguments, got 3",
        "normal(1us)           | normal takes 2 arguments, got 1",
        "uniform(5us,1us)      | lo 5us is greater than hi 1us",
        "exp(0ns)              | the mean must be positive",
        "exp(-3us)             | negative",
        "normal(2us,-1ns)      | negative",
        "exp(3 parsecs)        | bad duration \"3 parsecs\"",
        "exp(3)                | no unit",
        "exp(3us               | missing \")\"",
        "exp(99999999999s)     | too long",
    })
    void parse_badForms_quoteTheStringAndSayWhy(String text, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse(text));
        assertTrue(e.getMessage().startsWith("bad distribution \"" + text + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void parse_unknownName_listsTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Distribution.parse("gamma(1us)"));
        assertTrue(e.getMessage().contains("exp(MEAN), uniform(LO,HI), normal(MEAN,SD)"), e.getMessage());
    }

    @Test
    void exponential_sampleMeanIsCloseToTheMean() {
        Distribution d = Distribution.parse("exp(3us)");
        assertSampleMean(d, 3000.0, 0.02);
    }

    @Test
    void exponential_drawsByInversionFromOneDouble() {
        // x = -ln(1 - U) * mean, the same draw as the hold model (docs/hold-benchmark.md "Random numbers")
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);
        long expected = Math.round(-Math.log(1.0 - b.nextDouble()) * 3000);
        assertEquals(expected, Distribution.exponential(3000).sample(a));
    }

    @Test
    void uniform_staysWithinBoundsAndHitsBoth() {
        Distribution d = Distribution.uniform(10, 13);
        SplittableRandom r = new SplittableRandom(3);
        boolean[] seen = new boolean[4];
        for (int i = 0; i < 1000; i++) {
            long x = d.sample(r);
            assertTrue(x >= 10 && x <= 13, "sample " + x);
            seen[(int) (x - 10)] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertEquals(11.5, d.mean());
    }

    @Test
    void normal_truncatesNegativeSamplesAtZero() {
        // mean 0: half the raw samples are negative and must come out as 0
        Distribution d = Distribution.normal(0, 1000);
        SplittableRandom r = new SplittableRandom(5);
        int zeros = 0;
        for (int i = 0; i < 10_000; i++) {
            long x = d.sample(r);
            assertTrue(x >= 0);
            if (x == 0) {
                zeros++;
            }
        }
        assertTrue(zeros > 4500 && zeros < 5500, "zeros " + zeros);
        // E[max(X,0)] for X ~ N(0, sd) is sd / sqrt(2 pi)
        assertEquals(1000 / Math.sqrt(2 * Math.PI), d.mean(), 0.01);
        assertSampleMean(d, d.mean(), 0.03);
    }

    @Test
    void normal_farFromZero_hasTheUntruncatedMean() {
        Distribution d = Distribution.parse("normal(2us,200ns)");
        assertEquals(2000.0, d.mean(), 1e-6);
        assertSampleMean(d, 2000.0, 0.01);
    }

    @Test
    void sample_isDeterministicForASeed() {
        Distribution d = Distribution.parse("exp(1ms)");
        SplittableRandom a = new SplittableRandom(99);
        SplittableRandom b = new SplittableRandom(99);
        for (int i = 0; i < 100; i++) {
            assertEquals(d.sample(a), d.sample(b));
        }
    }

    @Test
    void sample_hugeMean_saturatesInsteadOfOverflowing() {
        Distribution d = Distribution.exponential(Long.MAX_VALUE);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertTrue(d.sample(r) >= 0);
        }
    }

    private static void assertSampleMean(Distribution d, double mean, double relTol) {
        SplittableRandom r = new SplittableRandom(11);
        double sum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            sum += d.sample(r);
        }
        double m = sum / SAMPLES;
        assertEquals(mean, m, mean * relTol, "sample mean " + m);
    }

    @Test
    void constant_isAConstant() {
        assertInstanceOf(Distribution.Constant.class, Distribution.parse("1s"));
    }
}
