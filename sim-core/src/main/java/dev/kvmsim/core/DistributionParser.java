package dev.kvmsim.core;

import java.util.ArrayList;
import java.util.List;

/** The parser behind {@link Distribution#parse}; package-private helpers. */
final class DistributionParser {
    static final String EXPECTED = "expected a duration like \"2us\" or one of const(D), exp(MEAN), "
            + "uniform(LO,HI), normal(MEAN,SD), quantiles(P:D,...) with durations D, like \"exp(3us)\"";

    private DistributionParser() {}

    static Distribution parse(String text) {
        String s = text.trim();
        if (s.isEmpty()) {
            throw bad(text, "empty; " + EXPECTED);
        }
        int open = s.indexOf('(');
        if (open < 0) {
            return new Distribution.Constant(duration(text, s));
        }
        if (!s.endsWith(")")) {
            throw bad(text, "missing \")\"; " + EXPECTED);
        }
        String name = s.substring(0, open).trim();
        List<String> args = split(s.substring(open + 1, s.length() - 1));
        try {
            switch (name) {
                case "const":
                    arity(text, name, args, 1);
                    return new Distribution.Constant(duration(text, args.get(0)));
                case "exp":
                    arity(text, name, args, 1);
                    return new Distribution.Exponential(duration(text, args.get(0)));
                case "uniform":
                    arity(text, name, args, 2);
                    return new Distribution.Uniform(duration(text, args.get(0)), duration(text, args.get(1)));
                case "normal":
                    arity(text, name, args, 2);
                    return new Distribution.Normal(duration(text, args.get(0)), duration(text, args.get(1)));
                case "quantiles":
                    return quantiles(text, args);
                default:
                    throw bad(text, "unknown distribution \"" + name + "\"; " + EXPECTED);
            }
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("bad distribution")) {
                throw e;
            }
            throw bad(text, e.getMessage());
        }
    }

    /** {@code quantiles(P:D, ...)}: probability:duration points. */
    private static Distribution quantiles(String text, List<String> args) {
        if (args.isEmpty()) {
            throw bad(text, "quantiles takes at least one P:D point (a probability from 0 to 1, a duration), like quantiles(0.5:2us,0.99:9us)");
        }
        double[] p = new double[args.size()];
        long[] v = new long[args.size()];
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int colon = a.indexOf(':');
            if (colon < 0) {
                throw bad(text, "point \"" + a + "\" is not P:D (a probability, a colon, a duration)");
            }
            try {
                p[i] = Double.parseDouble(a.substring(0, colon).trim());
            } catch (NumberFormatException e) {
                throw bad(text, "bad probability \"" + a.substring(0, colon).trim() + "\" in point \"" + a + "\"");
            }
            v[i] = duration(text, a.substring(colon + 1).trim());
        }
        return new Distribution.Quantiles(p, v);
    }

    /** A probability as quantiles(...) writes it: the shortest decimal that reads back the same. */
    static String probability(double p) {
        String s = Double.toString(p);
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        return s;
    }

    private static List<String> split(String inner) {
        List<String> out = new ArrayList<>();
        if (inner.trim().isEmpty()) {
            return out;
        }
        for (String a : inner.split(",", -1)) {
            out.add(a.trim());
        }
        return out;
    }

    private static void arity(String text, String name, List<String> args, int n) {
        if (args.size() != n) {
            throw bad(text, name + " takes " + n + (n == 1 ? " argument" : " arguments")
                    + ", got " + args.size() + "; " + EXPECTED);
        }
    }

    private static long duration(String text, String arg) {
        try {
            return Durations.parse(arg);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    static void checkNonNegative(String name, long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException(name + ": durations cannot be negative, got " + ns + " ns");
        }
    }

    /** Rounds a non-negative sample to whole nanoseconds, saturating at Long.MAX_VALUE. */
    static long toNanos(double x) {
        return x >= 0x1p63 ? Long.MAX_VALUE : Math.round(x);
    }

    /** Standard normal CDF via erf (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-x * x);
        double erf = z >= 0 ? y : -y;
        return 0.5 * (1.0 + erf);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad distribution \"" + text + "\": " + why);
    }
}
