package dev.kvmsim.harness.results;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads results files ({@code docs/harness.md}): one section per scenario run, from a
 * {@code kvmsim-results 1} line to {@code end}; one record per line; {@code #} comments,
 * blank lines and {@code info} lines are ignored. Every malformed line is an error naming
 * the file and line.
 */
public final class ResultsFormat {
    /** The first line of every section; the number is the format's version. */
    public static final String HEADER = "kvmsim-results 1";

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final Pattern STEP = Pattern.compile("step (\\d+) ([a-z_]+) (\\S.*)");
    private static final Pattern COMPLETION = Pattern.compile("completion (\\d+) (\\S.*)");
    private static final Pattern CHECK = Pattern.compile("check (\\d+) (\\S.*?) = (\\S+)");
    private static final Pattern WRITE = Pattern.compile("write (\\d+) (\\d+) kernel (\\d+) userspace (\\d+)");
    private static final Pattern EVENTFD = Pattern.compile("eventfd ([a-z0-9_-]+|@[a-z]+) (counter (\\d+)|closed)");
    private static final Pattern VECTOR = Pattern.compile("vcpu (\\d+) vector 0x([0-9a-f]{2}) delivered (\\d+)");
    private static final Pattern USERSPACE_EXIT = Pattern.compile("userspace_exit ([a-z_]+) 0x([0-9a-f]+) (\\d+) 0x([0-9a-f]+) count (\\d+)");
    private static final Pattern TIMING = Pattern.compile("timing ([a-z0-9_.]+) (\\d+)");

    private ResultsFormat() {}

    /** Parses every section of {@code text}; {@code file} names it in errors. */
    public static List<RunResults> parse(String file, String text) throws ResultsFormatException {
        List<RunResults> runs = new ArrayList<>();
        Section cur = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int ln = i + 1;
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#") || l.equals("info") || l.startsWith("info ")) {
                continue;
            }
            if (l.startsWith("kvmsim-results")) {
                if (!l.equals(HEADER)) {
                    throw new ResultsFormatException(file, ln, "unsupported results format '" + l + "' (expected '" + HEADER + "')");
                }
                if (cur != null) {
                    runs.add(cur.finish());
                }
                cur = new Section(ln);
                continue;
            }
            if (cur == null) {
                throw new ResultsFormatException(file, ln, "expected '" + HEADER + "' before any record, got '" + abbreviate(l) + "'");
            }
            cur.add(file, ln, l);
        }
        if (cur != null) {
            runs.add(cur.finish());
        }
        if (runs.isEmpty()) {
            throw new ResultsFormatException(file, 1, "no results: expected a '" + HEADER + "' section");
        }
        return runs;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    /** One section being read. */
    private static final class Section {
        private final int headerLine;
        private String scenario;
        private int scenarioLine;
        private boolean ended;
        private int errors;
        private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        private final SortedMap<String, Long> timings = new TreeMap<>();

        Section(int headerLine) {
            this.headerLine = headerLine;
        }

        void add(String file, int ln, String l) throws ResultsFormatException {
            String word = l.split(" ", 2)[0];
            if (ended) {
                throw new ResultsFormatException(file, ln, "'" + word + "' after 'end' (a new section starts with '" + HEADER + "')");
            }
            if (word.equals("scenario")) {
                String name = l.substring(word.length()).strip();
                if (scenario != null) {
                    throw new ResultsFormatException(file, ln, "a second 'scenario' line in one section (the first is line " + scenarioLine + ")");
                }
                if (!NAME.matcher(name).matches()) {
                    throw new ResultsFormatException(file, ln, "bad scenario name '" + abbreviate(name) + "': expected [a-z0-9-]+");
                }
                scenario = name;
                scenarioLine = ln;
                return;
            }
            if (scenario == null) {
                throw new ResultsFormatException(file, ln, "expected 'scenario NAME' right after '" + HEADER + "', got '" + abbreviate(l) + "'");
            }
            switch (word) {
                case "end" -> {
                    if (!l.equals("end")) {
                        throw new ResultsFormatException(file, ln, "'end' takes no arguments");
                    }
                    ended = true;
                }
                case "step" -> {
                    Matcher m = match(STEP, l, file, ln, "step INDEX ACTION RESULT");
                    put(file, ln, Outcome.Kind.STEP, "step " + index(m.group(1), file, ln), m.group(2) + " " + m.group(3));
                }
                case "completion" -> {
                    Matcher m = match(COMPLETION, l, file, ln, "completion INDEX RESULT");
                    put(file, ln, Outcome.Kind.COMPLETION, "completion " + index(m.group(1), file, ln), m.group(2));
                }
                case "check" -> {
                    Matcher m = match(CHECK, l, file, ln, "check INDEX WHAT = VALUE");
                    put(file, ln, Outcome.Kind.CHECK, "check " + index(m.group(1), file, ln) + " " + m.group(2), m.group(3));
                }
                case "write" -> {
                    Matcher m = match(WRITE, l, file, ln, "write VCPU ACTION kernel N userspace N");
                    count(m.group(3), file, ln);
                    count(m.group(4), file, ln);
                    put(file, ln, Outcome.Kind.WRITE, "write " + index(m.group(1), file, ln) + " " + index(m.group(2), file, ln),
                            "kernel " + m.group(3) + " userspace " + m.group(4));
                }
                case "eventfd" -> {
                    Matcher m = match(EVENTFD, l, file, ln, "eventfd NAME counter N, or eventfd NAME closed");
                    if (m.group(3) != null) {
                        count(m.group(3), file, ln);
                    }
                    put(file, ln, Outcome.Kind.EVENTFD, "eventfd " + m.group(1), m.group(2));
                }
                case "vcpu" -> {
                    Matcher m = match(VECTOR, l, file, ln, "vcpu N vector 0xVV delivered N");
                    count(m.group(3), file, ln);
                    put(file, ln, Outcome.Kind.VECTOR, "vcpu " + index(m.group(1), file, ln) + " vector 0x" + m.group(2) + " delivered", m.group(3));
                }
                case "userspace_exit" -> {
                    Matcher m = match(USERSPACE_EXIT, l, file, ln, "userspace_exit KIND 0xADDR LEN 0xDATA count N");
                    hex(m.group(2), file, ln);
                    hex(m.group(4), file, ln);
                    count(m.group(5), file, ln);
                    put(file, ln, Outcome.Kind.USERSPACE_EXIT, "userspace_exit " + m.group(1) + " 0x" + m.group(2) + " " + m.group(3) + " 0x" + m.group(4),
                            "count " + m.group(5));
                }
                case "error" -> {
                    String msg = l.substring(word.length()).strip();
                    put(file, ln, Outcome.Kind.ERROR, "error " + (++errors), msg.isEmpty() ? "(no message)" : msg);
                }
                case "timing" -> {
                    Matcher m = match(TIMING, l, file, ln, "timing NAME NANOSECONDS");
                    timings.put(m.group(1), count(m.group(2), file, ln));
                }
                default -> throw new ResultsFormatException(file, ln, "unknown record '" + abbreviate(word)
                        + "' (expected step, completion, check, write, eventfd, vcpu, userspace_exit, error, timing, info or end)");
            }
        }

        private void put(String file, int ln, Outcome.Kind kind, String key, String value) throws ResultsFormatException {
            Outcome prev = outcomes.get(key);
            if (prev != null) {
                throw new ResultsFormatException(file, ln, "'" + key + "' again (first on line " + prev.line() + ")");
            }
            outcomes.put(key, new Outcome(kind, key, value, ln));
        }

        RunResults finish() {
            return new RunResults(scenario == null ? "" : scenario, outcomes, ended, timings, scenario == null ? headerLine : scenarioLine);
        }

        private static Matcher match(Pattern p, String l, String file, int ln, String form) throws ResultsFormatException {
            Matcher m = p.matcher(l);
            if (!m.matches()) {
                throw new ResultsFormatException(file, ln, "malformed record '" + abbreviate(l) + "': expected '" + form + "'");
            }
            return m;
        }

        private static int index(String s, String file, int ln) throws ResultsFormatException {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new ResultsFormatException(file, ln, "index out of range: " + abbreviate(s));
            }
        }

        private static long count(String s, String file, int ln) throws ResultsFormatException {
            try {
                return Long.parseUnsignedLong(s);
            } catch (NumberFormatException e) {
                throw new ResultsFormatException(file, ln, "number out of range (unsigned 64-bit): " + abbreviate(s));
            }
        }

        private static void hex(String s, String file, int ln) throws ResultsFormatException {
            try {
                Long.parseUnsignedLong(s, 16);
            } catch (NumberFormatException e) {
                throw new ResultsFormatException(file, ln, "hex number out of range (unsigned 64-bit): 0x" + abbreviate(s));
            }
        }
    }
}
