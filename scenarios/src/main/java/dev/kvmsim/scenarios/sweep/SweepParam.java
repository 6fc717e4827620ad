package dev.kvmsim.scenarios.sweep;

import dev.kvmsim.core.Durations;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One swept field and its values, from {@code PATH=V1,V2,...} or the range form
 * {@code PATH=FROM..TO step STEP} (durations or integers; TO included when the steps reach it;
 * without {@code step}, integers go up by 1). Commas inside parentheses or brackets belong to
 * a value: {@code threads[0].service=exp(3us),uniform(1us,5us)} has two values.
 */
public record SweepParam(String path, List<String> values) implements Serializable {
    /** Ranges longer than this are refused (a typo such as 1ns..1s would be a billion runs). */
    public static final int MAX_VALUES = 100_000;

    public SweepParam {
        values = List.copyOf(values);
    }

    /** Parses {@code PATH=...}; an {@link IllegalArgumentException} says what is wrong. */
    public static SweepParam parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("'" + spec + "': expected PATH=V1,V2,... or PATH=FROM..TO step STEP");
        }
        String path = spec.substring(0, eq).strip();
        TreeOverrides.tokens(path);   // a bad path fails here, before any run
        String rhs = spec.substring(eq + 1).strip();
        List<String> values = rhs.contains("..") && !rhs.contains("(") ? range(path, rhs) : split(rhs);
        if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("'" + spec + "': an empty value");
        }
        return new SweepParam(path, values);
    }

    private static List<String> split(String rhs) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < rhs.length(); i++) {
            char ch = rhs.charAt(i);
            if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == ']' || ch == '}') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(rhs.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(rhs.substring(start).strip());
        return out;
    }

    private static List<String> range(String path, String rhs) {
        String body = rhs;
        String step = null;
        int s = rhs.indexOf(" step ");
        if (s >= 0) {
            body = rhs.substring(0, s).strip();
            step = rhs.substring(s + " step ".length()).strip();
        }
        int dots = body.indexOf("..");
        String from = body.substring(0, dots).strip();
        String to = body.substring(dots + 2).strip();
        boolean durations = !isInteger(from);
        long a;
        long b;
        long d;
        try {
            a = durations ? Durations.parse(from) : Long.parseLong(from);
            b = durations ? Durations.parse(to) : Long.parseLong(to);
            if (step == null && durations) {
                throw new IllegalArgumentException("a range of durations needs a step: " + path + "=" + from + ".." + to + " step 1us");
            }
            d = step == null ? 1 : durations ? Durations.parse(step) : Long.parseLong(step);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + "=" + rhs + ": expected FROM..TO step STEP with integers or durations (1us..5us step 1us)");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + "=" + rhs + ": " + e.getMessage());
        }
        if (d <= 0 || b < a) {
            throw new IllegalArgumentException(path + "=" + rhs + ": expected FROM <= TO and a positive step");
        }
        if ((b - a) / d + 1 > MAX_VALUES) {
            throw new IllegalArgumentException(path + "=" + rhs + ": more than " + MAX_VALUES + " values");
        }
        List<String> out = new ArrayList<>();
        for (long v = a; v <= b; v += d) {
            out.add(durations ? Durations.format(v) : Long.toString(v));
            if (v > Long.MAX_VALUE - d) {
                break;
            }
        }
        return out;
    }

    private static boolean isInteger(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> Character.isDigit(c) || c == '-');
    }
}
