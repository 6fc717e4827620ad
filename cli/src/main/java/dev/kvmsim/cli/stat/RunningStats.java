package dev.kvmsim.cli.stat;

/**
 * Count, min, max, total and Welford mean/M2 of one key's samples; the arithmetic of perf's
 * {@code update_stats} / {@code stddev_stats} / {@code rel_stddev_stats} (tools/perf/util/stat.c),
 * so the "+-" column is the relative standard deviation of the mean, as perf prints it.
 */
final class RunningStats {
    long n;
    long total;
    long min = Long.MAX_VALUE;
    long max;
    private double mean;
    private double m2;

    /** Models tools/perf/util/stat.c update_stats. */
    void add(long ns) {
        n++;
        total += ns;
        double delta = ns - mean;
        mean += delta / n;
        m2 += delta * (ns - mean);
        min = Math.min(min, ns);
        max = Math.max(max, ns);
    }

    /** Models stddev_stats: the standard deviation of the mean, 0 below two samples. */
    double stddevOfMean() {
        if (n < 2) {
            return 0.0;
        }
        double variance = m2 / (n - 1);
        return Math.sqrt(variance / n);
    }

    /** Models rel_stddev_stats: 100 * stddev / mean, 0 when the mean is 0. */
    double relStddevPercent() {
        return mean == 0 ? 0.0 : 100.0 * stddevOfMean() / mean;
    }
}
