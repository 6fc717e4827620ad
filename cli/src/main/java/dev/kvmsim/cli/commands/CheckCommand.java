package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.io.OutputFiles;
import dev.kvmsim.cli.junit.JUnitXml;
import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.model.Scenario;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim check FILE...}: run each file's expectations, print the failed ones, write JUnit XML. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run scenarios and check their expectations (end-of-run and per-step); print each failed "
                + "one with its expected and actual value.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim check my-scenario.yaml",
                "  kvmsim check scenarios/*.yaml --junit target/kvmsim-junit.xml",
                "",
                "The JUnit report has one <testsuite> per file and one <testcase> per expectation and per step",
                "expectation (classname = the scenario's name); a file that does not load is an <error>.",
                "Exit codes: 0 every expectation held, 1 an expectation failed, 2 a file is invalid."})
public final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files or built-in scenario names.")
    List<String> files;

    @Option(names = "--junit", paramLabel = "OUT.xml", description = "Write a JUnit XML report (Ant/Surefire format) for CI.")
    Path junit;

    @Mixin
    RunSettings settings;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<JUnitXml.TestSuite> suites = new ArrayList<>();
        boolean invalid = false;
        boolean failed = false;
        boolean internal = false;
        List<Path> inputs = new ArrayList<>();
        files.forEach(f -> inputs.addAll(settings.inputs(f)));
        Path junitTarget = junit == null ? null : OutputFiles.check("--junit", junit, inputs);
        for (String f : files) {
            String timestamp = LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
            LoadResult loaded = ScenarioLoader.load(f);
            if (!loaded.ok()) {
                List<String> lines = ScenarioFiles.lines(loaded.errors());
                lines.forEach(l -> err.println("kvmsim: " + l));
                suites.add(new JUnitXml.TestSuite(f, timestamp, 0, List.of(), 1, String.join("\n", lines), ""));
                invalid = true;
                continue;
            }
            Scenario s = loaded.scenario().orElseThrow();
            long t0 = System.nanoTime();
            Report r;
            try {
                r = settings.run(s, null, err);
            } catch (UserError e) {
                throw e; // a bad option (--costs, --seed): the same for every file
            } catch (RuntimeException | StackOverflowError e) {
                // a bug in kvmsim on this file: its own result; the other files are still checked
                String line = f + ": internal error: " + e;
                err.println("kvmsim: " + line);
                suites.add(new JUnitXml.TestSuite(s.name(), timestamp, 0, List.of(), 1, line, ""));
                internal = true;
                continue;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            suites.add(suite(s, r, timestamp, seconds));
            print(out, f, r);
            invalid |= RunSettings.reportStop(r, f, err);
            failed |= !r.passed();
        }
        out.flush();
        err.flush();
        if (junitTarget != null) {
            OutputFiles.write("--junit", junitTarget, o -> JUnitXml.write(o, suites));
        }
        return internal ? ExitCode.INTERNAL : invalid ? ExitCode.INVALID : failed ? ExitCode.FAILED : ExitCode.OK;
    }

    private static void print(PrintWriter out, String file, Report r) {
        long checks = r.expectations().size() + r.steps().stream().filter(s -> s.expected() != null).count();
        long failures = r.failures().size() + r.failedSteps().size();
        if (failures == 0) {
            out.println("PASS " + file + " (" + r.scenario() + "): " + checks + " expectations held");
            return;
        }
        out.println("FAIL " + file + " (" + r.scenario() + "): " + failures + " of " + checks + " expectations failed");
        for (Report.StepResult st : r.failedSteps()) {
            out.println("  " + stepName(st) + ": expected " + st.expected() + ", actual " + st.result());
        }
        for (Report.ExpectationResult x : r.failures()) {
            out.println("  " + x.description() + ": expected " + x.expected() + ", actual " + x.actual());
        }
    }

    private static String stepName(Report.StepResult st) {
        return "host[" + st.index() + "] " + st.action() + " (line " + st.line() + ")";
    }

    /** One test case per step expectation (in file order), then one per end-of-run expectation. */
    static JUnitXml.TestSuite suite(Scenario s, Report r, String timestamp, double seconds) {
        List<JUnitXml.TestCase> cases = new ArrayList<>();
        String cls = s.name();
        for (Report.StepResult st : r.steps()) {
            if (st.expected() == null) {
                continue;
            }
            String name = stepName(st);
            cases.add(st.ok() ? JUnitXml.TestCase.passed(cls, name, 0)
                    : JUnitXml.TestCase.failed(cls, name, 0, new JUnitXml.Failure(
                            "expected " + st.expected() + ", actual " + st.result(), "step-expectation",
                            s.source() + ": " + name + ": expected " + st.expected() + ", actual " + st.result())));
        }
        for (Report.ExpectationResult x : r.expectations()) {
            cases.add(x.passed() ? JUnitXml.TestCase.passed(cls, x.description(), 0)
                    : JUnitXml.TestCase.failed(cls, x.description(), 0, new JUnitXml.Failure(
                            "expected " + x.expected() + ", actual " + x.actual(), "expectation",
                            s.source() + ": " + x.description() + ": expected " + x.expected() + ", actual " + x.actual())));
        }
        return new JUnitXml.TestSuite(cls, timestamp, seconds, cases, 0, "", "");
    }
}
