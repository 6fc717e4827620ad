package dev.kvmsim.scenarios;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fidelity suite: every file in {@code scenarios/conformance/} states kernel rules
 * (docs/kernel-model.md, each file citing the kernel functions) with expected values derived
 * from the kernel source, not from the simulator. Each file must load, check something (a step
 * {@code expect} or an expectation), run to its end (no run limit), and every step result and
 * expectation must hold.
 *
 * <p>No file is skipped: the directory holds only scenario files, {@code README.md} and
 * {@code INDEX}, and {@code INDEX} names exactly the scenario files present, so a file that is
 * deleted, renamed or given an extension the suite does not read fails the build.
 */
class ConformanceSuiteTest {

    /** The suite's directory: {@code conformance/} from the module directory (Maven's working dir), or from the repo root. */
    static Path dir() {
        for (Path p : List.of(Path.of("conformance"), Path.of("scenarios", "conformance"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("scenarios/conformance not found from " + Path.of("").toAbsolutePath());
    }

    /** Files of the directory that are not scenarios. */
    private static final Set<String> NOT_SCENARIOS = Set.of("README.md", "INDEX");

    static boolean isScenario(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** Every file of the suite, as INDEX lists them (comments and blank lines aside). */
    static List<String> index() throws IOException {
        return Files.readAllLines(dir().resolve("INDEX")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
    }

    /** The scenario files to run: those INDEX lists (every one of them is checked to exist). */
    static List<Path> files() throws IOException {
        return index().stream().map(dir()::resolve).collect(Collectors.toList());
    }

    @Test
    void indexNamesExactlyTheScenarioFilesPresent() throws IOException {
        List<String> listed = index();
        TreeSet<String> present;
        try (Stream<Path> s = Files.list(dir())) {
            present = s.map(p -> p.getFileName().toString()).filter(n -> !NOT_SCENARIOS.contains(n))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        List<String> notScenarios = present.stream().filter(n -> !isScenario(n)).toList();
        assertTrue(notScenarios.isEmpty(), "files the suite would not run (not .yaml/.yml/.json): " + notScenarios);
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "INDEX lists a file twice");
        TreeSet<String> missing = new TreeSet<>(listed);
        missing.removeAll(present);
        TreeSet<String> unlisted = new TreeSet<>(present);
        unlisted.removeAll(listed);
        assertTrue(missing.isEmpty(), "listed in scenarios/conformance/INDEX but not present: " + missing);
        assertTrue(unlisted.isEmpty(), "present but not listed in scenarios/conformance/INDEX (add them): " + unlisted);
        assertTrue(listed.size() >= 100, "conformance files: " + listed.size());
    }

    @TestFactory
    Stream<DynamicTest> everyConformanceFile_passesAllItsExpectations() throws IOException {
        return files().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path p) {
        LoadResult lr = ScenarioLoader.load(ScenarioSource.file(p));
        if (!lr.ok()) {
            fail(p.getFileName() + ": load errors:\n" + lr.errors().stream().map(ScenarioError::render).collect(Collectors.joining("\n")));
        }
        Report r = ScenarioRunner.run(lr.orThrow());
        String name = p.getFileName().toString();
        assertEquals(name.substring(0, name.lastIndexOf('.')), r.scenario(), "the file name is the scenario name (README.md)");
        long checks = r.steps().stream().filter(s -> s.expected() != null).count() + r.expectations().size();
        assertTrue(checks > 0, name + " checks nothing: no step expect and no expectation");
        StringBuilder msg = new StringBuilder();
        if (r.stopped() != null) {
            msg.append("\n  the run stopped early: ").append(r.stopped());
        }
        for (Report.StepResult s : r.failedSteps()) {
            msg.append("\n  step ").append(s.index()).append(" (line ").append(s.line()).append(") ").append(s.action())
                    .append(": expected ").append(s.expected()).append(", actual ").append(s.result());
        }
        for (Report.ExpectationResult e : r.failures()) {
            msg.append("\n  ").append(e.description()).append(": expected ").append(e.expected()).append(", actual ").append(e.actual());
        }
        if (msg.length() > 0) {
            fail("scenario " + r.scenario() + " (" + p.getFileName() + ") failed:" + msg);
        }
    }
}
