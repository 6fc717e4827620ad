package dev.kvmsim.core.stats;

import dev.kvmsim.core.Durations;
import java.math.BigInteger;
import org.HdrHistogram.Histogram;

/**
 * A named latency distribution in nanoseconds: an auto-resizing HdrHistogram (3 significant
 * digits) for percentiles, plus exact count, min, max and sum.
 *
 * <p>Caveats: percentiles are within 0.1% of the true value (HdrHistogram's bucket precision)
 * and clamped to the exact [min, max]; an empty recorder reports 0 for everything.
 */
public final class LatencyRecorder {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final String name;
    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    /** The exact sum of the values, 128-bit unsigned: {@code sumHi:sumLo}. */
    private long sumHi;
    private long sumLo;

    LatencyRecorder(String name) {
        this.name = name;
    }

    public String name() { return name; }

    /** Records one latency; negative values are a caller bug. */
    public void record(long ns) {
        if (ns < 0) {
            throw negative(ns);
        }
        histogram.recordValue(ns);
        count++;
        sumLo += ns;
        if (Long.compareUnsigned(sumLo, ns) < 0) {
            sumHi++;
        }
        if (ns < min) {
            min = ns;
        }
        if (ns > max) {
            max = ns;
        }
    }

    public long count() { return count; }

    public long min() { return count == 0 ? 0 : min; }

    public long max() { return count == 0 ? 0 : max; }

    /** The arithmetic mean as a double (0 when empty). */
    public double mean() {
        if (count == 0) {
            return 0.0;
        }
        return sumLo >= 0 && sumHi == 0 ? (double) sumLo / count : exactSum().doubleValue() / count;
    }

    /**
     * The mean rounded to a nanosecond (half up), never outside the exact [min, max]: below 2^53 ns
     * of sum as {@code Math.round(sum / count)} in doubles, above it from the exact 128-bit sum.
     */
    public long meanNs() {
        if (count == 0) {
            return 0;
        }
        long m;
        if (sumHi == 0 && sumLo >= 0 && sumLo < (1L << 53)) {
            m = Math.round((double) sumLo / count);
        } else {
            BigInteger c = BigInteger.valueOf(count);
            m = exactSum().add(c.shiftRight(1)).divide(c).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        }
        return Math.max(min, Math.min(max, m));
    }

    private BigInteger exactSum() {
        return new BigInteger(Long.toUnsignedString(sumHi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(sumLo)));
    }

    /** The value at {@code percentile} (0..100), e.g. 50 for the median, 99 for p99. */
    public long percentile(double percentile) {
        if (!(percentile >= 0.0 && percentile <= 100.0)) {
            throw new IllegalArgumentException("percentile must be within 0..100, got " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        long v = histogram.getValueAtPercentile(percentile);
        return Math.max(min, Math.min(max, v));
    }

    /** A one-line summary: count, min, p50, p99, max, mean in compact duration form. */
    @Override public String toString() {
        return name + ": count " + count + " min " + Durations.format(min()) + " p50 " + Durations.format(percentile(50))
                + " p99 " + Durations.format(percentile(99)) + " max " + Durations.format(max())
                + " mean " + Durations.format(meanNs());
    }

    private IllegalArgumentException negative(long ns) {
        return new IllegalArgumentException("latency " + name + ": cannot record a negative value " + ns + " ns");
    }
}
