package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.load.ScenarioBinder;
import dev.kvmsim.scenarios.load.TreeReader;
import dev.kvmsim.scenarios.load.YNode;

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
        return load(source, null);
    }

    /**
     * Changes a parsed file before it is bound (a sweep overrides fields this way): returns the
     * new root, or adds errors and returns null.
     */
    @FunctionalInterface
    public interface TreeEdit {
        YNode apply(YNode root, List<ScenarioError> errors);
    }

    /** Loads {@code source} with {@code edit} (null: none) applied to its parsed tree before binding. */
    public static LoadResult load(ScenarioSource source, TreeEdit edit) {
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
        YNode root = parsed.root();
        if (edit != null) {
            List<ScenarioError> errors = new java.util.ArrayList<>();
            root = edit.apply(root, errors);
            if (root == null || !errors.isEmpty()) {
                return LoadResult.failed(errors);
            }
        }
        return ScenarioBinder.bind(root, source.display(), source.id());
    }

    /** Resolves {@code arg} (a path or a built-in name) and loads it. */
    public static LoadResult load(String arg) {
        return load(ScenarioSource.resolve(arg));
    }

    private static LoadResult fail(ScenarioSource source, String message) {
        return LoadResult.failed(List.of(new ScenarioError(source.display(), 0, 0, "", message)));
    }
}
