package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden files of the {@code ftrace}, {@code stat} and {@code explain} outputs of two library
 * scenarios (src/test/resources/golden/). A difference fails the test; run with
 * {@code -Dgolden.update=true} to rewrite them on purpose (then review the diff).
 */
class GoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "virtio-net-notify, 60us",
            "pci-testdev-costs, 20us"})
    void ftrace(String scenario, String until) throws IOException {
        Path trace = dir.resolve("trace.txt");
        Cli r = Cli.run(args(scenario, until, "run", "--trace", "ftrace", "--trace-out", trace.toString()));
        assertTrue(r.code() == 0 || r.code() == 1, r.err());
        compare(scenario + ".ftrace.txt", Files.readString(trace));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "virtio-net-notify, 60us",
            "pci-testdev-costs, 20us"})
    void stat(String scenario, String until) throws IOException {
        Cli r = Cli.run(args(scenario, until, "stat"));
        assertEquals(0, r.code(), r.err());
        compare(scenario + ".stat.txt", r.out());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "virtio-net-notify, 60us",
            "pci-testdev-costs, 20us"})
    void explain(String scenario, String until) throws IOException {
        Cli r = Cli.run(args(scenario, until, "explain", "--steps", "2"));
        assertEquals(0, r.code(), r.err());
        compare(scenario + ".explain.txt", r.out());
    }

    private static String[] args(String scenario, String until, String... command) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(command));
        a.add(1, scenario);
        if (!until.isEmpty()) {
            a.add("--until");
            a.add(until);
        }
        return a.toArray(String[]::new);
    }

    private static void compare(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(file), file + " is missing: run with -Dgolden.update=true to create it");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                name + " differs from the golden file; if the change is intended, rerun with -Dgolden.update=true");
    }
}
