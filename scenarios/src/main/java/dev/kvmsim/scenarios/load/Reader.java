package dev.kvmsim.scenarios.load;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Durations;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.model.Comparison;
import dev.kvmsim.scenarios.model.Loc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to a {@link YNode} tree that records an error (file, place, path, what was
 * expected) instead of throwing, so the binders report every error of a file at once.
 * A method that fails has recorded its error and returns an empty {@link Optional}; the caller
 * carries on with the next field.
 */
final class Reader {
    static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger S64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final Pattern DEC = Pattern.compile("[0-9][0-9_]*");
    private static final Pattern HEX = Pattern.compile("0[xX][0-9a-fA-F][0-9a-fA-F_]*");
    private static final Pattern CMP = Pattern.compile("\\s*(==|!=|>=|<=|>|<|=)?\\s*(.+?)\\s*");

    private final String file;
    private final List<ScenarioError> errors = new ArrayList<>();

    Reader(String file) {
        this.file = file;
    }

    List<ScenarioError> errors() {
        return errors;
    }

    void error(Loc loc, String path, String message) {
        errors.add(new ScenarioError(file, loc.line(), loc.column(), path, message));
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    // ---- structure ----

    Optional<YNode.MapNode> map(YNode n, String path, String what) {
        if (n instanceof YNode.MapNode m) {
            return Optional.of(m);
        }
        error(n.loc(), path, "expected " + what + ", got " + n.describe());
        return Optional.empty();
    }

    Optional<YNode.ListNode> list(YNode n, String path, String what) {
        if (n instanceof YNode.ListNode l) {
            return Optional.of(l);
        }
        error(n.loc(), path, "expected a list of " + what + ", got " + n.describe());
        return Optional.empty();
    }

    /** Reports every key of {@code m} not in {@code allowed}, naming the keys that are allowed. */
    void checkKeys(YNode.MapNode m, String path, Collection<String> allowed) {
        for (Map.Entry<String, YNode.Entry> e : m.entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                error(e.getValue().keyLoc(), join(path, e.getKey()), "unknown key (expected one of: " + String.join(", ", allowed) + ")");
            }
        }
    }

    Optional<YNode> required(YNode.MapNode m, String path, String key) {
        YNode.Entry e = m.entries().get(key);
        if (e == null) {
            error(m.loc(), join(path, key), "missing required key '" + key + "'");
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    static Optional<YNode> optional(YNode.MapNode m, String key) {
        YNode.Entry e = m.entries().get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /** The value of a key the caller has seen in {@code m}. */
    static YNode present(YNode.MapNode m, String key) {
        return m.entries().get(key).value();
    }

    // ---- scalars ----

    Optional<String> string(YNode n, String path) {
        if (n instanceof YNode.Scalar s && s.type() != YNode.Type.NULL) {
            return Optional.of(s.text());
        }
        error(n.loc(), path, "expected a string, got " + n.describe());
        return Optional.empty();
    }

    Optional<Boolean> bool(YNode n, String path) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.BOOL) {
            return Optional.of(Boolean.valueOf(s.text()));
        }
        error(n.loc(), path, "expected true or false, got " + n.describe());
        return Optional.empty();
    }

    /** An unsigned 64-bit number, decimal or 0x hex, bare or quoted; the bits in a long. */
    Optional<Long> u64(YNode n, String path) {
        return integer(n, path, false).map(BigInteger::longValue);
    }

    /** A number in [min, max] (both non-negative), with a message naming the range and why. */
    Optional<Long> u64(YNode n, String path, long min, long max, String why) {
        Optional<BigInteger> v = integer(n, path, false);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get().compareTo(BigInteger.valueOf(min)) < 0 || v.get().compareTo(BigInteger.valueOf(max)) > 0) {
            error(n.loc(), path, "expected " + why + ", got " + v.get());
            return Optional.empty();
        }
        return Optional.of(v.get().longValue());
    }

    /** A 64-bit value that may be negative (an expected result, e.g. {@code {value: -1}}). */
    Optional<Long> signed64(YNode n, String path) {
        return integer(n, path, true).map(BigInteger::longValue);
    }

    private Optional<BigInteger> integer(YNode n, String path, boolean allowNegative) {
        if (!(n instanceof YNode.Scalar s) || !(s.type() == YNode.Type.INT || s.type() == YNode.Type.STRING)) {
            error(n.loc(), path, "expected an unsigned 64-bit integer (decimal or 0x hex), got " + n.describe());
            return Optional.empty();
        }
        String text = s.text().strip();
        boolean negative = text.startsWith("-");
        String body = negative ? text.substring(1) : text;
        Optional<BigInteger> parsed = parseUnsigned(body);
        if (parsed.isEmpty()) {
            error(n.loc(), path, "expected an unsigned 64-bit integer (decimal or 0x hex), got " + n.describe());
            return Optional.empty();
        }
        BigInteger v = parsed.get();
        if (negative && v.signum() != 0) {
            if (!allowNegative) {
                error(n.loc(), path, "negative number " + text + ": numbers are unsigned (only an expected {value: N} may be negative)");
                return Optional.empty();
            }
            v = v.negate();
            if (v.compareTo(S64_MIN) < 0) {
                error(n.loc(), path, "number " + text + " is out of range: at least " + Long.MIN_VALUE);
                return Optional.empty();
            }
            return Optional.of(v);
        }
        if (v.compareTo(U64_MAX) > 0) {
            error(n.loc(), path, "number " + text + " is out of the unsigned 64-bit range (at most 18446744073709551615 = 0xffffffffffffffff)");
            return Optional.empty();
        }
        return Optional.of(v);
    }

    /** A decimal or 0x hex number without sign (any size), or empty when {@code text} is not one. */
    static Optional<BigInteger> parseUnsigned(String text) {
        if (HEX.matcher(text).matches()) {
            return Optional.of(new BigInteger(text.substring(2).replace("_", ""), 16));
        }
        if (DEC.matcher(text).matches()) {
            return Optional.of(new BigInteger(text.replace("_", "")));
        }
        return Optional.empty();
    }

    /** A duration string ({@code "2us"}); the nanoseconds. */
    Optional<Long> duration(YNode n, String path) {
        if (!(n instanceof YNode.Scalar s) || s.type() != YNode.Type.STRING) {
            if (n instanceof YNode.Scalar s0 && s0.type() == YNode.Type.INT && "0".equals(s0.text())) {
                return Optional.of(0L);
            }
            error(n.loc(), path, "expected a duration with a unit (ns, us, ms, s), like \"2us\", got " + n.describe());
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(s.text()));
        } catch (IllegalArgumentException e) {
            error(n.loc(), path, e.getMessage());
            return Optional.empty();
        }
    }

    /** A duration or a distribution ({@code exp(3us)}, {@code uniform(1us,5us)}, {@code normal(2us,200ns)}). */
    Optional<Distribution> distribution(YNode n, String path) {
        if (!(n instanceof YNode.Scalar s) || s.type() != YNode.Type.STRING) {
            error(n.loc(), path, "expected a duration or a distribution (\"3us\", \"exp(3us)\", \"uniform(1us,5us)\", \"normal(2us,200ns)\"), got " + n.describe());
            return Optional.empty();
        }
        try {
            return Optional.of(Distribution.parse(s.text()));
        } catch (IllegalArgumentException e) {
            error(n.loc(), path, e.getMessage());
            return Optional.empty();
        }
    }

    /** One of {@code names} (as written in files). */
    Optional<String> oneOf(YNode n, String path, List<String> names) {
        Optional<String> s = string(n, path);
        if (s.isPresent() && !names.contains(s.get())) {
            error(n.loc(), path, "expected one of " + String.join(", ", names) + ", got '" + s.get() + "'");
            return Optional.empty();
        }
        return s;
    }

    /**
     * A comparison: a number (meaning {@code ==}) or a string {@code "OP VALUE"} with OP one of
     * {@code == != >= <= > <}; VALUE is a count, or a duration when {@code duration} is true
     * (a bare number then means nanoseconds).
     */
    Optional<Comparison> comparison(YNode n, String path, boolean duration) {
        String expected = duration
                ? "expected a duration comparison like \"<= 20us\" or a number of ns"
                : "expected a count or a comparison like \">= 1\"";
        if (!(n instanceof YNode.Scalar s) || !(s.type() == YNode.Type.INT || s.type() == YNode.Type.STRING)) {
            error(n.loc(), path, expected + ", got " + n.describe());
            return Optional.empty();
        }
        Matcher m = CMP.matcher(s.text());
        if (!m.matches()) {
            error(n.loc(), path, expected + ", got " + n.describe());
            return Optional.empty();
        }
        String opText = m.group(1) == null || m.group(1).equals("=") ? "==" : m.group(1);
        Comparison.Op op = null;
        for (Comparison.Op o : Comparison.Op.values()) {
            if (o.symbol().equals(opText)) {
                op = o;
            }
        }
        String valueText = m.group(2);
        Optional<BigInteger> parsed = parseUnsigned(valueText);
        long value;
        if (parsed.isPresent()) {
            BigInteger v = parsed.get();
            if (v.compareTo(U64_MAX) > 0) {
                error(n.loc(), path, "number " + valueText + " is out of the unsigned 64-bit range (at most 18446744073709551615 = 0xffffffffffffffff)");
                return Optional.empty();
            }
            value = v.longValue();
        } else if (duration) {
            try {
                value = Durations.parse(valueText);
            } catch (IllegalArgumentException e) {
                error(n.loc(), path, expected + ": " + e.getMessage());
                return Optional.empty();
            }
        } else {
            error(n.loc(), path, expected + ", got " + n.describe());
            return Optional.empty();
        }
        return Optional.of(new Comparison(op, value, op.symbol() + " " + valueText));
    }
}
