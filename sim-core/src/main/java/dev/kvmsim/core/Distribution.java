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
}
