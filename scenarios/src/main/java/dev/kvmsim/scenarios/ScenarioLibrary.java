package dev.kvmsim.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in scenarios, shipped in the jar as {@code library/NAME.yaml} (sources in
 * {@code scenarios/library/}); {@code library/INDEX} lists their names in teaching order.
 */
public final class ScenarioLibrary {
    private static final String DIR = "library/";

    private ScenarioLibrary() {}

    /** A built-in scenario's name and description. */
    public record Entry(String name, String description) {}

    /** The names, in the order of {@code library/INDEX}. */
    public static List<String> names() {
        try (InputStream in = ScenarioLibrary.class.getClassLoader().getResourceAsStream(DIR + "INDEX")) {
            if (in == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = br.readLine()) != null; ) {
                    String s = line.strip();
                    if (!s.isEmpty() && !s.startsWith("#")) {
                        names.add(s);
                    }
                }
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every built-in scenario with its description (loaded from the file itself). */
    public static List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (String name : names()) {
            LoadResult r = ScenarioLoader.load(ScenarioSource.library(name));
            out.add(new Entry(name, r.scenario().map(s -> s.description()).orElseGet(() -> "(does not load: " + r.errors().get(0).render() + ")")));
        }
        return out;
    }

    public static boolean contains(String name) {
        return names().contains(name);
    }

    /** The file's content, or null. */
    static InputStream open(String name) {
        if (!contains(name)) {
            return null;
        }
        return ScenarioLibrary.class.getClassLoader().getResourceAsStream(DIR + name + ".yaml");
    }

    /** Loads a built-in scenario; throws when it does not load (a library bug). */
    public static LoadResult load(String name) {
        return ScenarioLoader.load(ScenarioSource.library(name));
    }
}
