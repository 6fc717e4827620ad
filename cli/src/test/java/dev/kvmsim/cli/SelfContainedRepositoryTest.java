package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: a clone has only what is in it. No file may cite the design
 * documents that lived outside the repository (their content is in {@code docs/}), and every
 * citation of a page under {@code docs/}, with its {@code #anchor}, must name a page and a
 * heading that exist. The whole source tree is scanned (build output and VCS data excepted).
 */
class SelfContainedRepositoryTest {
    /** The outside documents by name, and the folder they lived in (spelled so as not to match itself). */
    private static final Pattern OUTSIDE = Pattern.compile(
            "(\\.\\./)?shared[/]|\\b(KERNEL|SCENARIOS|COSTS|HOLD|DESIGN|REAL-KVM|STYLE)\\.md\\b");
    /** {@code docs/<page>.md}, optionally with {@code #anchor} and further {@code , #anchor}s. */
    private static final Pattern DOCS_CITE = Pattern.compile(
            "\\bdocs/([a-z0-9-]+\\.md)((?:#[a-z0-9_-]+)(?:, #[a-z0-9_-]+)*)?");
    private static final Pattern ANCHOR = Pattern.compile("#([a-z0-9_-]+)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");
    private static final Set<String> SKIP_DIRS = Set.of("target", ".git", ".idea", "node_modules");

    @Test
    void noFileCitesADocumentOutsideTheRepository() {
        Path root = root();
        List<String> hits = new ArrayList<>();
        for (Path f : textFiles(root)) {
            String[] lines = read(f).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (OUTSIDE.matcher(lines[i]).find()) {
                    hits.add(root.relativize(f) + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        assertTrue(hits.isEmpty(), "cite the kernel (file and function) or docs/ instead:\n"
                + String.join("\n", hits));
    }

    @Test
    void everyCitedDocsPageAndAnchorExists() {
        Path root = root();
        Map<String, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path f : textFiles(root)) {
            String[] lines = read(f).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = DOCS_CITE.matcher(lines[i]);
                while (m.find()) {
                    String page = m.group(1);
                    Path doc = root.resolve("docs").resolve(page);
                    String where = root.relativize(f) + ":" + (i + 1) + ": ";
                    if (!Files.isRegularFile(doc)) {
                        broken.add(where + "no page docs/" + page);
                        continue;
                    }
                    if (m.group(2) == null) {
                        continue;
                    }
                    Set<String> known = anchors.computeIfAbsent(page, p -> headingAnchors(read(doc)));
                    Matcher a = ANCHOR.matcher(m.group(2));
                    while (a.find()) {
                        if (!known.contains(a.group(1))) {
                            broken.add(where + "no heading #" + a.group(1) + " in docs/" + page);
                        }
                    }
                }
            }
        }
        assertTrue(broken.isEmpty(), "citations of docs/ that lead nowhere:\n" + String.join("\n", broken));
    }

    @Test
    void headingAnchorsFollowGitHubsRule() {
        // The rule the anchors above are checked with: lower case, punctuation dropped, spaces to '-'.
        Set<String> a = headingAnchors("# Routing and irqchips\n## io bus\n### kvm_set_irq\n## Where (it) comes: from\n");
        assertTrue(a.containsAll(Set.of("routing-and-irqchips", "io-bus", "kvm_set_irq", "where-it-comes-from")), a.toString());
    }

    /** GitHub's heading anchors: lower case, keep letters, digits, '_', '-' and spaces, spaces become '-'. */
    static Set<String> headingAnchors(String markdown) {
        Set<String> out = new TreeSet<>();
        Matcher h = HEADING.matcher(markdown.replace("\r", ""));
        while (h.find()) {
            String text = h.group(1).replace("`", "").toLowerCase(Locale.ROOT);
            out.add(text.replaceAll("[^a-z0-9_ -]", "").replace(' ', '-'));
        }
        return out;
    }

    /** The repository's top directory: the nearest ancestor holding both pom.xml and docs/. */
    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("docs")))) {
            p = p.getParent();
        }
        assertTrue(p != null, "repository root not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    private static List<Path> textFiles(Path root) {
        List<Path> out = new ArrayList<>();
        walk(root, out);
        assertTrue(out.size() > 100, "scanned only " + out.size() + " files under " + root);
        return out;
    }

    private static void walk(Path dir, List<Path> out) {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    if (!SKIP_DIRS.contains(name)) {
                        walk(p, out);
                    }
                } else if (Files.isRegularFile(p) && Files.size(p) < 4_000_000 && !isBinary(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBinary(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        for (int i = 0; i < Math.min(b.length, 8000); i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
