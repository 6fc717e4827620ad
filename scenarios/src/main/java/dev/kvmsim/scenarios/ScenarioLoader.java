package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.load.ScenarioBinder;
import dev.kvmsim.scenarios.load.TreeReader;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Loads and validates a scenario (docs/scenarios.md): parse (YAML or JSON) with the place of
 * every value, bind to the model, check names and references. All errors of a file are
 * returned at once; nothing is run. Never throws for bad input.
 */
public final class ScenarioLoader {
    private ScenarioLoader() {}

    public static LoadResult load(ScenarioSource source) {
        byte[] bytes;
        try {
            bytes = source.bytes(TreeReader.MAX_BYTES);
        } catch (NoSuchFileException e) {
            return fail(source, "no such file, and no built-in scenario of that name (see kvmsim list)");
        } catch (IOException e) {
            return fail(source, "cannot read: " + e.getMessage());
        }
        String name = source.kind() == ScenarioSource.Kind.LIBRARY ? source.display() + ".yaml" : source.display();
        TreeReader reader = new TreeReader(source.display());
        TreeReader.Parsed parsed;
        if (source.format() != null) {
            parsed = bytes.length > TreeReader.MAX_BYTES ? reader.read(bytes)
                    : reader.read(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                    "json".equals(source.format()) ? TreeReader.Format.JSON : TreeReader.Format.YAML);
        } else {
            parsed = new TreeReader(name).read(bytes);
            if (parsed.error() != null) {
                ScenarioError e = parsed.error();
                parsed = new TreeReader.Parsed(null, new ScenarioError(source.display(), e.line(), e.column(), e.path(), e.message()));
            }
        }
        if (parsed.error() != null) {
            return LoadResult.failed(List.of(parsed.error()));
        }
        return ScenarioBinder.bind(parsed.root(), source.display(), source.id());
    }

    /** Resolves {@code arg} (a path or a built-in name) and loads it. */
    public static LoadResult load(String arg) {
        return load(ScenarioSource.resolve(arg));
    }

    private static LoadResult fail(ScenarioSource source, String message) {
        return LoadResult.failed(List.of(new ScenarioError(source.display(), 0, 0, "", message)));
    }
}
