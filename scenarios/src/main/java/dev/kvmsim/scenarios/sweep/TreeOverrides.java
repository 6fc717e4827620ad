package dev.kvmsim.scenarios.sweep;

import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.load.TreeReader;
import dev.kvmsim.scenarios.load.YNode;
import dev.kvmsim.scenarios.model.Loc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link Override}s to a parsed scenario before it is bound, so an overridden field is
 * checked exactly like one written in the file. A path names map keys separated by dots and
 * list items by {@code [index]} or {@code [name]}; a map key that itself holds dots (the cost
 * names under {@code vm.costs}) is matched whole. A missing map key is added; a missing list
 * item or a path through a scalar is an error naming the path.
 */
public final class TreeOverrides implements ScenarioLoader.TreeEdit {
    private final List<Override> overrides;

    public TreeOverrides(List<Override> overrides) {
        this.overrides = List.copyOf(overrides);
    }

    @java.lang.Override
    public YNode apply(YNode root, List<ScenarioError> errors) {
        YNode out = root;
        for (Override o : overrides) {
            try {
                out = set(out, tokens(o.path()), 0, value(o.value()), "");
            } catch (IllegalArgumentException e) {
                errors.add(new ScenarioError("--param " + o, 0, 0, "", e.getMessage()));
            }
        }
        return errors.isEmpty() ? out : null;
    }

    /** A path token: a map key, a list index, or a list item selected by its name. */
    private record Token(String key, int index, String name) {
        @java.lang.Override
        public String toString() {
            return key != null ? key : name != null ? "[" + name + "]" : "[" + index + "]";
        }
    }

    static List<Token> tokens(String path) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = path.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty path");
        }
        while (i < n) {
            char ch = path.charAt(i);
            if (ch == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("'[' without ']' in path '" + path + "'");
                }
                String inner = path.substring(i + 1, close).strip();
                if (inner.isEmpty()) {
                    throw new IllegalArgumentException("empty [] in path '" + path + "'");
                }
                out.add(inner.chars().allMatch(Character::isDigit)
                        ? new Token(null, Integer.parseInt(inner), null) : new Token(null, -1, inner));
                i = close + 1;
                if (i < n && path.charAt(i) == '.') {
                    i++;
                }
            } else {
                int j = i;
                while (j < n && path.charAt(j) != '.' && path.charAt(j) != '[') {
                    j++;
                }
                if (j == i) {
                    throw new IllegalArgumentException("empty key in path '" + path + "'");
                }
                out.add(new Token(path.substring(i, j), -1, null));
                i = j < n && path.charAt(j) == '.' ? j + 1 : j;
                if (i == n && path.charAt(n - 1) == '.') {
                    throw new IllegalArgumentException("path '" + path + "' ends with '.'");
                }
            }
        }
        return out;
    }

    private static YNode set(YNode node, List<Token> tokens, int i, YNode value, String at) {
        if (i == tokens.size()) {
            return value;
        }
        Token t = tokens.get(i);
        if (t.key() != null) {
            if (node != null && !(node instanceof YNode.MapNode)) {
                throw new IllegalArgumentException(where(at) + " is " + node.describe() + ", not a map: no key '" + t.key() + "' in it");
            }
            Map<String, YNode.Entry> entries = node == null ? new LinkedHashMap<>() : new LinkedHashMap<>(((YNode.MapNode) node).entries());
            int keys = 0;
            while (i + keys < tokens.size() && tokens.get(i + keys).key() != null) {
                keys++;
            }
            for (int k = keys; k >= 1; k--) {           // the longest key that exists, dots included
                String key = join(tokens, i, k);
                YNode.Entry e = entries.get(key);
                if (e != null) {
                    entries.put(key, new YNode.Entry(e.keyLoc(), set(e.value(), tokens, i + k, value, child(at, key))));
                    return new YNode.MapNode(node.loc(), entries);
                }
            }
            int take = at.equals("vm.costs") ? keys : 1;  // cost names hold dots: vhost.wakeup
            String key = join(tokens, i, take);
            entries.put(key, new YNode.Entry(Loc.NONE, set(null, tokens, i + take, value, child(at, key))));
            return new YNode.MapNode(node == null ? Loc.NONE : node.loc(), entries);
        }
        if (!(node instanceof YNode.ListNode list)) {
            throw new IllegalArgumentException(where(at) + " is " + (node == null ? "missing" : node.describe()) + ", not a list: no item " + t + " in it");
        }
        List<YNode> items = new ArrayList<>(list.items());
        int idx = t.index();
        if (t.name() != null) {
            idx = -1;
            for (int k = 0; k < items.size(); k++) {
                if (items.get(k) instanceof YNode.MapNode m && m.entries().get("name") != null
                        && m.entries().get("name").value() instanceof YNode.Scalar s && s.text().equals(t.name())) {
                    idx = k;
                    break;
                }
            }
            if (idx < 0) {
                throw new IllegalArgumentException(where(at) + " has no item named '" + t.name() + "'");
            }
        } else if (idx >= items.size()) {
            throw new IllegalArgumentException(where(at) + " has " + items.size() + " item(s): no [" + idx + "]");
        }
        items.set(idx, set(items.get(idx), tokens, i + 1, value, at + "[" + idx + "]"));
        return new YNode.ListNode(list.loc(), items);
    }

    private static String join(List<Token> tokens, int from, int count) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k < from + count; k++) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(tokens.get(k).key());
        }
        return b.toString();
    }

    private static String child(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    private static String where(String at) {
        return at.isEmpty() ? "the top level" : "'" + at + "'";
    }

    /** The value as YAML (a scalar, or a flow list or map), without places: it was not written in the file. */
    static YNode value(String text) {
        if (text.isBlank()) {
            return new YNode.Scalar(Loc.NONE, YNode.Type.STRING, text);
        }
        TreeReader.Parsed p = new TreeReader("--param").read(text, TreeReader.Format.YAML);
        return p.error() != null ? new YNode.Scalar(Loc.NONE, YNode.Type.STRING, text) : unplaced(p.root());
    }

    private static YNode unplaced(YNode n) {
        if (n instanceof YNode.MapNode m) {
            Map<String, YNode.Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new YNode.Entry(Loc.NONE, unplaced(e.value()))));
            return new YNode.MapNode(Loc.NONE, entries);
        }
        if (n instanceof YNode.ListNode l) {
            return new YNode.ListNode(Loc.NONE, l.items().stream().map(TreeOverrides::unplaced).toList());
        }
        YNode.Scalar s = (YNode.Scalar) n;
        return new YNode.Scalar(Loc.NONE, s.type(), s.text());
    }
}
