package dev.kvmsim.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a scenario comes from: a file, a built-in scenario of the library (named by its
 * name wherever a FILE is asked for), or text given directly (tests, tools).
 *
 * @param display the name used in error messages ({@code file:line:col})
 * @param format  {@code yaml}, {@code json}, or null to decide from the name and content
 */
public record ScenarioSource(String display, Kind kind, Path path, String text, String format) {

    public enum Kind { FILE, LIBRARY, TEXT }

    public static ScenarioSource file(Path path) {
        return new ScenarioSource(path.toString(), Kind.FILE, path, null, null);
    }

    public static ScenarioSource library(String name) {
        return new ScenarioSource(name, Kind.LIBRARY, null, null, "yaml");
    }

    /** Text with a display name; the format follows the name's extension (or the content). */
    public static ScenarioSource text(String display, String text) {
        return new ScenarioSource(display, Kind.TEXT, null, text, null);
    }

    /**
     * Resolves a command-line argument: an existing file wins; otherwise a built-in
     * scenario of that name; otherwise the path (whose load then reports that it is missing).
     */
    public static ScenarioSource resolve(String arg) {
        Path p = Path.of(arg);
        if (Files.exists(p)) {
            return file(p);
        }
        if (ScenarioLibrary.contains(arg)) {
            return library(arg);
        }
        return file(p);
    }

    /**
     * The text, for tools that send a scenario elsewhere (a sweep's workers load it with
     * {@link #text}); an over-long file is cut one byte past the limit, so its load still fails.
     */
    public String readText() throws IOException {
        return new String(bytes(dev.kvmsim.scenarios.load.TreeReader.MAX_BYTES), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The raw content, size-capped so that a huge file is refused before it is read whole. */
    byte[] bytes(int maxBytes) throws IOException {
        switch (kind) {
            case FILE: {
                if (Files.isDirectory(path)) {
                    throw new IOException("is a directory, not a scenario file");
                }
                if (Files.exists(path) && !Files.isRegularFile(path)) {
                    // a FIFO would block the open until a writer came; a device could be endless
                    throw new IOException("is not a regular file (a FIFO, device or socket); give a scenario file");
                }
                try (InputStream in = Files.newInputStream(path)) {
                    return in.readNBytes(maxBytes + 1);
                }
            }
            case LIBRARY: {
                try (InputStream in = ScenarioLibrary.open(display)) {
                    if (in == null) {
                        throw new IOException("no built-in scenario of that name");
                    }
                    return in.readNBytes(maxBytes + 1);
                }
            }
            default:
                return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The source's name for {@link dev.kvmsim.scenarios.model.Scenario#source()}. */
    String id() {
        return kind == Kind.LIBRARY ? "library:" + display : display;
    }
}
