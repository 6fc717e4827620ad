package dev.kvmsim.harness;

import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.ScenarioSource;
import dev.kvmsim.scenarios.model.Scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's conformance and library scenarios, for tests. */
public final class Scenarios {
    private Scenarios() {}

    /** {@code scenarios/<sub>} from the module directory (Maven's working directory) or the repository root. */
    public static Path dir(String sub) {
        for (Path p : List.of(Path.of("..", "scenarios", sub), Path.of("scenarios", sub))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("scenarios/" + sub + " not found from " + Path.of("").toAbsolutePath());
    }

    public static List<Path> files(String sub) {
        try (Stream<Path> s = Files.list(dir(sub))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every conformance file, then every library file. */
    public static List<Path> all() {
        List<Path> out = new ArrayList<>(files("conformance"));
        out.addAll(files("library"));
        return out;
    }

    public static Scenario load(Path p) {
        LoadResult lr = ScenarioLoader.load(ScenarioSource.file(p));
        if (!lr.ok()) {
            throw new IllegalStateException(p + ": " + lr.errors());
        }
        return lr.orThrow();
    }

    public static Scenario conformance(String name) {
        return load(dir("conformance").resolve(name + ".yaml"));
    }
}
