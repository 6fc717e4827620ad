package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.Loc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a parsed scenario file with the place it was written. Built by {@link TreeReader}
 * for YAML and JSON alike, so the binder sees one structure and every error has a line.
 */
public sealed interface YNode {

    Loc loc();

    /** What a reader calls this node in an error message ("a map", "the string 'x'"). */
    String describe();

    /** A mapping; keys in file order, each with the place of the key. */
    record MapNode(Loc loc, Map<String, Entry> entries) implements YNode {
        public MapNode {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public String describe() { return "a map"; }
    }

    record Entry(Loc keyLoc, YNode value) {}

    record ListNode(Loc loc, List<YNode> items) implements YNode {
        public ListNode {
            items = List.copyOf(items);
        }

        public String describe() { return "a list"; }
    }

    /**
     * A scalar, with its text as written (for YAML the unquoted scalar, so a bare
     * {@code 0xfe003000} keeps its hex form whatever type the parser guessed).
     */
    record Scalar(Loc loc, Type type, String text) implements YNode {
        public String describe() {
            return switch (type) {
                case NULL -> "null";
                case BOOL -> "the boolean " + text;
                case INT, FLOAT -> "the number " + text;
                case STRING -> "the string '" + text + "'";
            };
        }
    }

    enum Type { STRING, INT, FLOAT, BOOL, NULL }
}
