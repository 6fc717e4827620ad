package dev.kvmsim.core;

import java.util.SplittableRandom;

/**
 * A distribution of durations (nanoseconds), sampled from a caller's random stream.
 *
 * <p>Textual forms, parsed by {@link #parse} in one place for scenarios and the command line:
 * <table>
 * <caption>distribution forms</caption>
 * <tr><th>form</th><th>meaning</th></tr>
 * <tr><td>{@code 2us} or {@code const(2us)}</td><td>always 2 us</td></tr>
 * <tr><td>{@code exp(3us)}</td><td>exponential with mean 3 us, by inversion {@code -ln(1-U)}</td></tr>
 * <tr><td>{@code uniform(1us,5us)}</td><td>uniform over the whole nanoseconds of [1 us, 5 us]</td></tr>
 * <tr><td>{@code normal(2us,200ns)}</td><td>normal (mean, standard deviation); negative samples become 0</td></tr>
 * <tr><td>{@code quantiles(0.5:1.8us,0.99:2.4us)}</td><td>empirical: a table of quantiles (probability:duration,
 * probabilities increasing in [0, 1], durations not decreasing); between two points the inverse CDF is
 * linear, below the first point it is the first duration and above the last the last one, so the
 * table's quantiles come out exactly</td></tr>
 * </table>
 * Samples are rounded to whole nanoseconds and never negative. {@code toString()} gives the
 * canonical form, which parses back to an equal distribution.
 */
public interface Distribution {
    /** One sample in nanoseconds, {@code >= 0}. */
    long sample(SplittableRandom r);

    /** The mean of {@link #sample} in nanoseconds (of the truncated distribution, for normal). */
    double mean();

    /** A distribution that always gives {@code ns}. */
    static Distribution constant(long ns) {
        return new Constant(ns);
    }

    static Distribution exponential(long meanNs) {
        return new Exponential(meanNs);
    }

    static Distribution uniform(long loNs, long hiNs) {
        return new Uniform(loNs, hiNs);
    }

    static Distribution normal(long meanNs, long sdNs) {
        return new Normal(meanNs, sdNs);
    }

    /** An empirical distribution through the quantile points ({@code probabilities[i]}, {@code nanos[i]}). */
    static Distribution quantiles(double[] probabilities, long[] nanos) {
        return new Quantiles(probabilities, nanos);
    }

    /** Parses one of the forms in the interface comment. */
    static Distribution parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("bad distribution null: " + DistributionParser.EXPECTED);
        }
        return DistributionParser.parse(text);
    }

    /** Always the same value. */
    record Constant(long ns) implements Distribution {
        public Constant {
            DistributionParser.checkNonNegative("const", ns);
        }

        @Override public long sample(SplittableRandom r) { return ns; }

        @Override public double mean() { return ns; }

        @Override public String toString() { return "const(" + Durations.format(ns) + ")"; }
    }

    /** Exponential with the given mean, drawn by inversion {@code -ln(1-U) * mean}. */
    record Exponential(long meanNs) implements Distribution {
        public Exponential {
            if (meanNs <= 0) {
                throw new IllegalArgumentException("exp: the mean must be positive, got " + meanNs + " ns");
            }
        }

        @Override public long sample(SplittableRandom r) {
            double x = -Math.log(1.0 - r.nextDouble()) * meanNs;
            return DistributionParser.toNanos(x);
        }

        @Override public double mean() { return meanNs; }

        @Override public String toString() { return "exp(" + Durations.format(meanNs) + ")"; }
    }

    /** Uniform over the whole nanoseconds of {@code [lo, hi]}. */
    record Uniform(long loNs, long hiNs) implements Distribution {
        public Uniform {
            DistributionParser.checkNonNegative("uniform", loNs);
            if (loNs > hiNs) {
                throw new IllegalArgumentException("uniform: lo " + Durations.format(loNs)
                        + " is greater than hi " + Durations.format(hiNs));
            }
        }

        @Override public long sample(SplittableRandom r) {
            long span = hiNs - loNs; // >= 0, no overflow since both are non-negative
            if (span == 0) {
                return loNs;
            }
            if (span == Long.MAX_VALUE) {
                return loNs + (r.nextLong() & Long.MAX_VALUE);
            }
            return loNs + r.nextLong(span + 1);
        }

        @Override public double mean() { return (loNs + (double) hiNs) / 2.0; }

        @Override public String toString() {
            return "uniform(" + Durations.format(loNs) + "," + Durations.format(hiNs) + ")";
        }
    }

    /** Normal with mean and standard deviation; negative samples are truncated to 0. */
    record Normal(long meanNs, long sdNs) implements Distribution {
        public Normal {
            DistributionParser.checkNonNegative("normal", meanNs);
            DistributionParser.checkNonNegative("normal", sdNs);
        }

        @Override public long sample(SplittableRandom r) {
            double x = meanNs + sdNs * r.nextGaussian();
            return x <= 0 ? 0 : DistributionParser.toNanos(x);
        }

        /** E[max(X, 0)] = mu Phi(mu/sd) + sd phi(mu/sd). */
        @Override public double mean() {
            if (sdNs == 0) {
                return meanNs;
            }
            double z = (double) meanNs / sdNs;
            double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            return meanNs * DistributionParser.normalCdf(z) + sdNs * pdf;
        }

        @Override public String toString() {
            return "normal(" + Durations.format(meanNs) + "," + Durations.format(sdNs) + ")";
        }
    }

    /**
     * An empirical distribution given by quantile points: sampled by inversion, linear between
     * points and flat outside them. Allocates nothing per sample.
     */
    final class Quantiles implements Distribution {
        private final double[] p;
        private final long[] v;

        public Quantiles(double[] probabilities, long[] nanos) {
            if (probabilities.length == 0 || probabilities.length != nanos.length) {
                throw new IllegalArgumentException("quantiles: one duration per probability, at least one point");
            }
            this.p = probabilities.clone();
            this.v = nanos.clone();
            for (int i = 0; i < p.length; i++) {
                if (!(p[i] >= 0 && p[i] <= 1)) {
                    throw new IllegalArgumentException("quantiles: probability " + p[i] + " is not in [0, 1]");
                }
                DistributionParser.checkNonNegative("quantiles", v[i]);
                if (i > 0 && p[i] <= p[i - 1]) {
                    throw new IllegalArgumentException("quantiles: probabilities must increase, " + p[i] + " follows " + p[i - 1]);
                }
                if (i > 0 && v[i] < v[i - 1]) {
                    throw new IllegalArgumentException("quantiles: durations must not decrease, " + Durations.format(v[i])
                            + " follows " + Durations.format(v[i - 1]));
                }
            }
        }

        /** The inverse CDF at {@code u} in [0, 1). */
        public long inverse(double u) {
            if (u <= p[0]) {
                return v[0];
            }
            int last = p.length - 1;
            if (u >= p[last]) {
                return v[last];
            }
            int i = 1;
            while (p[i] < u) {
                i++;
            }
            double f = (u - p[i - 1]) / (p[i] - p[i - 1]);
            return DistributionParser.toNanos(v[i - 1] + f * (v[i] - v[i - 1]));
        }

        @Override public long sample(SplittableRandom r) { return inverse(r.nextDouble()); }

        /** The mean of the piecewise-linear inverse CDF (flat before the first and after the last point). */
        @Override public double mean() {
            int last = p.length - 1;
            double m = p[0] * v[0] + (1 - p[last]) * v[last];
            for (int i = 1; i <= last; i++) {
                m += (p[i] - p[i - 1]) * (v[i - 1] + v[i]) / 2.0;
            }
            return m;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Quantiles q && java.util.Arrays.equals(p, q.p) && java.util.Arrays.equals(v, q.v);
        }

        @Override public int hashCode() { return 31 * java.util.Arrays.hashCode(p) + java.util.Arrays.hashCode(v); }

        @Override public String toString() {
            StringBuilder sb = new StringBuilder("quantiles(");
            for (int i = 0; i < p.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(DistributionParser.probability(p[i])).append(':').append(Durations.format(v[i]));
            }
            return sb.append(')').toString();
        }
    }
}
