package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.progress.Progress;
import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Durations;
import dev.kvmsim.core.trace.TraceSink;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.ScenarioRunner;
import dev.kvmsim.scenarios.model.Scenario;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** The options every command that runs a scenario shares: seed, time limit, cost profile. */
public final class RunSettings {
    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed (unsigned 64-bit).")
    String seed;

    @Option(names = "--until", paramLabel = "T", description = "Override the simulated-time limit (e.g. 10ms, 250us).")
    String until;

    @Option(names = "--max-events", paramLabel = "N",
            description = "The run's event budget (default 100000000; 0: none); a run that reaches it stops, "
                    + "prints and writes what it has, and exits 2.")
    String maxEvents;

    @Option(names = "--costs", paramLabel = "PROFILE.yaml",
            description = "A cost profile: a YAML/JSON map of cost names to durations or distributions "
                    + "(e.g. 'vhost.wakeup: exp(5us)'), optionally under a top-level 'costs:' key; applied over vm.costs.")
    Path costs;

    /** The run's input files (the scenario, if {@code file} names one on disk, and the cost profile), for output checks. */
    List<Path> inputs(String file) {
        List<Path> in = new ArrayList<>();
        Path p = Path.of(file);
        if (Files.exists(p)) {
            in.add(p);
        }
        if (costs != null) {
            in.add(costs);
        }
        return in;
    }

    /** The run options these settings describe, with {@code sink} as the trace sink (null: tracing off). */
    RunOptions options(TraceSink sink) {
        return new RunOptions(seed(), until(), costs(), sink, maxEvents(), null);
    }

    private long maxEvents() {
        if (maxEvents == null) {
            return RunOptions.DEFAULT_MAX_EVENTS;
        }
        String s = maxEvents.strip();
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(Character::isDigit)) {
            throw new UserError("--max-events '" + maxEvents + "': expected a number of events from 0 (no budget) to "
                    + Long.MAX_VALUE);
        }
        return Long.parseLong(s);
    }

    /**
     * Says on {@code err} why {@code r}'s run stopped early, if it did: true then (the command
     * exits {@link dev.kvmsim.cli.ExitCode#INVALID} after printing what it has).
     */
    static boolean reportStop(Report r, String file, java.io.PrintWriter err) {
        if (r.stopped() == null) {
            return false;
        }
        err.println("kvmsim: " + file + ": run stopped: " + r.stopped());
        err.flush();
        return true;
    }

    /** Runs {@code scenario} with these settings; shows progress on a terminal. */
    Report run(Scenario scenario, TraceSink sink, java.io.PrintWriter err) {
        Progress progress = Progress.forTerminal(err);
        try {
            return ScenarioRunner.run(scenario, options(sink).withProgress(progress));
        } finally {
            if (progress != null) {
                progress.finish();
            }
        }
    }

    private OptionalLong seed() {
        if (seed == null) {
            return OptionalLong.empty();
        }
        try {
            String s = seed.strip();
            return OptionalLong.of(s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s));
        } catch (NumberFormatException e) {
            throw new UserError("--seed '" + seed + "': expected an unsigned 64-bit number (decimal or 0x hex)");
        }
    }

    private OptionalLong until() {
        if (until == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Durations.parse(until));
        } catch (IllegalArgumentException e) {
            throw new UserError("--until: " + e.getMessage());
        }
    }

    private Map<String, String> costs() {
        if (costs == null) {
            return Map.of();
        }
        JsonNode root;
        try {
            String text = readBounded(costs);
            ObjectMapper mapper = costs.toString().endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
            root = mapper.readTree(text);
        } catch (NoSuchFileException e) {
            throw new UserError(costs + ": no such file");
        } catch (IOException e) {
            throw new UserError(costs + ": " + e.getMessage().lines().findFirst().orElse("cannot read"));
        }
        if (root != null && root.isObject() && root.size() == 1 && root.has("costs")) {
            root = root.get("costs");
        }
        if (root == null || !root.isObject()) {
            throw new UserError(costs + ": expected a map of cost names to durations or distributions");
        }
        Map<String, String> out = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String value = e.getValue().asText();
            if (Cost.byId(name).isEmpty()) {
                errors.add(costs + ": unknown cost '" + name + "' (known: " + String.join(", ", knownCosts()) + ")");
                continue;
            }
            try {
                Distribution.parse(value);
            } catch (IllegalArgumentException ex) {
                errors.add(costs + ": cost '" + name + "': " + ex.getMessage());
                continue;
            }
            out.put(name, value);
        }
        if (!errors.isEmpty()) {
            throw new UserError(errors);
        }
        return out;
    }

    /** The most a cost profile may hold: a map of a few dozen names. */
    static final int MAX_PROFILE_BYTES = 1024 * 1024;

    /** Reads a small input file: a regular file of at most {@link #MAX_PROFILE_BYTES}. */
    private static String readBounded(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            throw new UserError(p + ": is a directory, not a cost profile");
        }
        if (Files.exists(p) && !Files.isRegularFile(p)) {
            throw new UserError(p + ": is not a regular file (a FIFO, device or socket); give a cost profile");
        }
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(p)) {
            bytes = in.readNBytes(MAX_PROFILE_BYTES + 1);
        }
        if (bytes.length > MAX_PROFILE_BYTES) {
            throw new UserError(p + ": is too large for a cost profile (more than " + MAX_PROFILE_BYTES + " bytes)");
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static List<String> knownCosts() {
        List<String> names = new ArrayList<>();
        for (Cost c : Cost.values()) {
            names.add(c.id());
        }
        return names;
    }
}
