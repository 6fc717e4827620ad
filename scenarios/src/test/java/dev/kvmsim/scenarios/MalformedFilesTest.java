package dev.kvmsim.scenarios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A malformed file gets one clear error: never a stack trace, never a hang. */
class MalformedFilesTest {

    @TempDir
    Path dir;

    private List<String> loadFile(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        LoadResult r = ScenarioLoader.load(p.toString());
        assertTrue(!r.ok());
        return r.errors().stream().map(e -> e.render().replace(dir.toString() + "/", "")).toList();
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals(List.of("e.yaml: file is empty: expected a scenario (a map with version, name, ...)"), loadFile("e.yaml", new byte[0]));
        assertEquals(List.of("e.json: file is empty: expected a scenario (a map with version, name, ...)"), loadFile("e.json", "  \n".getBytes()));
    }

    @Test
    void binaryFile() throws IOException {
        assertEquals(List.of("b.yaml: not a text file: expected UTF-8 YAML or JSON"),
                loadFile("b.yaml", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2}));
        assertEquals(List.of("z.yaml: not a text file (it contains NUL bytes): expected YAML or JSON"), loadFile("z.yaml", new byte[] {'a', 0, 'b'}));
    }

    @Test
    void hugeFile_isRefusedBeforeParsing() throws IOException {
        Path p = dir.resolve("big.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding\n".getBytes();
        try (OutputStream out = Files.newOutputStream(p)) {
            for (int i = 0; i < 50 * 1024 * 1024 / line.length; i++) {
                out.write(line);
            }
        }
        LoadResult r = ScenarioLoader.load(p.toString());
        assertEquals(1, r.errors().size());
        assertTrue(r.errors().get(0).message().startsWith("file is too large: "), r.errors().get(0).message());
    }

    @Test
    void badYaml_hasALine() throws IOException {
        List<String> e = loadFile("bad.yaml", "version: 1\nname: [unclosed\nseed: 2\n".getBytes());
        assertEquals(1, e.size());
        assertTrue(e.get(0).startsWith("bad.yaml:") && e.get(0).contains("malformed YAML"), e.get(0));
    }

    @Test
    void badJson_hasALine() throws IOException {
        List<String> e = loadFile("bad.json", "{\"version\": 1,\n \"name\": }".getBytes());
        assertEquals(1, e.size());
        assertTrue(e.get(0).startsWith("bad.json:2:") && e.get(0).contains("malformed JSON"), e.get(0));
    }

    @Test
    void aliasBomb_isRefusedAtOnce() throws IOException {
        StringBuilder sb = new StringBuilder("version: 1\nname: t\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            sb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
                    .append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        List<String> e = loadFile("bomb.yaml", sb.toString().getBytes());
        assertEquals(1, e.size());
        assertTrue(e.get(0).contains("alias"), e.get(0));
    }

    @Test
    void missingFile() {
        LoadResult r = ScenarioLoader.load(dir.resolve("nope.yaml").toString());
        assertEquals("no such file, and no built-in scenario of that name (see kvmsim list)", r.errors().get(0).message());
    }

    @Test
    void scalarAtTopLevel() throws IOException {
        assertEquals(List.of("s.yaml:1:1: expected a scenario (a map with version, name, ...) at the top level, got the string 'hello'"),
                loadFile("s.yaml", "hello\n".getBytes()));
    }

    @Test
    void twoYamlDocuments() throws IOException {
        List<String> e = loadFile("two.yaml", "version: 1\nname: t\n---\nversion: 1\n".getBytes());
        assertEquals(1, e.size());
        assertTrue(e.get(0).contains("unexpected content after the end of the scenario"), e.get(0));
    }
}
