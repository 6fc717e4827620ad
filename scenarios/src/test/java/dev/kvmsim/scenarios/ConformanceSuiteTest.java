package dev.kvmsim.scenarios;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fidelity suite: every file in {@code scenarios/conformance/} states kernel rules
 * (docs/kernel-model.md, each file citing the kernel functions) with expected values derived
 * from the kernel source, not from the simulator. Each file must load, and every step result
 * and expectation must hold.
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

    static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml") || p.toString().endsWith(".json"))
                    .sorted().collect(Collectors.toList());
        }
    }

    @Test
    void suiteHasAtLeastFortyFiles() throws IOException {
        assertTrue(files().size() >= 40, "conformance files: " + files().size());
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
        StringBuilder msg = new StringBuilder();
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
