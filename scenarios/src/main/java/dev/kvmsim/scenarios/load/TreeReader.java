package dev.kvmsim.scenarios.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.model.Loc;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses YAML or JSON text into {@link YNode}s with the line and column of every node,
 * using Jackson's streaming parser. Malformed input gives one clear {@link ScenarioError},
 * never an exception: the size is capped before parsing, binary content is refused, YAML
 * aliases are refused (so an alias bomb cannot expand), and nesting depth is limited.
 */
public final class TreeReader {
    /** Scenario files are small; anything above this is refused before parsing. */
    public static final int MAX_BYTES = 10 * 1024 * 1024;
    private static final int MAX_DEPTH = 64;

    /** The result: a root node, or the one error that stopped parsing. */
    public record Parsed(YNode root, ScenarioError error) {}

    public enum Format { YAML, JSON }

    private final String file;

    public TreeReader(String file) {
        this.file = file;
    }

    /** The format a file name asks for; content starting with '{' is JSON when the name says nothing. */
    public static Format formatOf(String name, String text) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".json")) {
            return Format.JSON;
        }
        if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            return Format.YAML;
        }
        return text.stripLeading().startsWith("{") ? Format.JSON : Format.YAML;
    }

    /** Decodes and parses raw file content. */
    public Parsed read(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return fail("file is too large: more than " + MAX_BYTES + " bytes (the most a scenario file may have)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return fail("not a text file: expected UTF-8 YAML or JSON");
        }
        if (text.indexOf('\0') >= 0) {
            return fail("not a text file (it contains NUL bytes): expected YAML or JSON");
        }
        return read(text, formatOf(file, text));
    }

    public Parsed read(String text, Format format) {
        if (text.isBlank()) {
            return fail("file is empty: expected a scenario (a map with version, name, ...)");
        }
        try (JsonParser p = factory(format).createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return fail("file is empty: expected a scenario (a map with version, name, ...)");
            }
            YNode root = readValue(p, 0, "");
            JsonToken extra = p.nextToken();
            if (extra != null) {
                Loc loc = loc(p.currentTokenLocation());
                return new Parsed(null, new ScenarioError(file, loc.line(), loc.column(), "",
                        "unexpected content after the end of the scenario (a file holds one " + (format == Format.YAML ? "YAML document" : "JSON value") + ")"));
            }
            return new Parsed(root, null);
        } catch (Refusal r) {
            return new Parsed(null, new ScenarioError(file, r.loc.line(), r.loc.column(), r.path, r.getMessage()));
        } catch (JsonProcessingException e) {
            Loc loc = e.getLocation() == null ? Loc.NONE : loc(e.getLocation());
            return new Parsed(null, new ScenarioError(file, loc.line(), loc.column(), "",
                    "malformed " + format.name() + ": " + firstLine(e.getOriginalMessage())));
        } catch (IOException | RuntimeException e) {
            // SnakeYAML reports some limits (code points, aliases) as unchecked exceptions.
            return fail("malformed " + format.name() + ": " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private YNode readValue(JsonParser p, int depth, String path) throws IOException {
        Loc loc = loc(p.currentTokenLocation());
        if (depth > MAX_DEPTH) {
            throw new Refusal(loc, path, "nesting is deeper than " + MAX_DEPTH + " levels");
        }
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            throw new Refusal(loc, path, "YAML aliases (*" + p.getText() + ") are not supported in scenario files: write the value out");
        }
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, YNode.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Loc keyLoc = loc(p.currentTokenLocation());
                    p.nextToken();
                    YNode value = readValue(p, depth + 1, path.isEmpty() ? key : path + "." + key);
                    if (entries.containsKey(key)) {
                        throw new Refusal(keyLoc, path.isEmpty() ? key : path + "." + key, "duplicate key '" + key + "'");
                    }
                    entries.put(key, new YNode.Entry(keyLoc, value));
                }
                return new YNode.MapNode(loc, entries);
            }
            case START_ARRAY: {
                List<YNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p, depth + 1, path + "[" + items.size() + "]"));
                }
                return new YNode.ListNode(loc, items);
            }
            case VALUE_STRING:
                return new YNode.Scalar(loc, YNode.Type.STRING, p.getText());
            case VALUE_NUMBER_INT:
                return new YNode.Scalar(loc, YNode.Type.INT, p.getText());
            case VALUE_NUMBER_FLOAT:
                return new YNode.Scalar(loc, YNode.Type.FLOAT, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YNode.Scalar(loc, YNode.Type.BOOL, t == JsonToken.VALUE_TRUE ? "true" : "false");
            case VALUE_NULL:
                return new YNode.Scalar(loc, YNode.Type.NULL, "null");
            default:
                throw new Refusal(loc, path, "unexpected " + t);
        }
    }

    private static JsonFactory factory(Format format) {
        StreamReadConstraints limits = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH + 8).maxStringLength(MAX_BYTES).maxNumberLength(100).build();
        if (format == Format.JSON) {
            // duplicate keys are reported by readValue, with the key's place and path
            return JsonFactory.builder().streamReadConstraints(limits).build();
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_BYTES);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(MAX_DEPTH + 8);
        options.setAllowDuplicateKeys(true); // reported by readValue with the key's place
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(limits).build();
    }

    private static Loc loc(JsonLocation l) {
        return new Loc(Math.max(l.getLineNr(), 0), Math.max(l.getColumnNr(), 0));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private Parsed fail(String message) {
        return new Parsed(null, new ScenarioError(file, 0, 0, "", message));
    }

    /** A structural refusal with a place; caught in {@link #read(String, Format)}. */
    private static final class Refusal extends RuntimeException {
        private final Loc loc;
        private final String path;

        Refusal(Loc loc, String path, String message) {
            super(message, null, false, false);
            this.loc = loc;
            this.path = path;
        }
    }
}
