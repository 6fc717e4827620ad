package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.harness.gen.CHarness;
import dev.kvmsim.harness.gen.Support;
import dev.kvmsim.scenarios.model.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim harness FILE... -o DIR}: write the C harness of each scenario, for a KVM host. */
@Command(name = "harness", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write, for each scenario, a standalone C program that runs it on the real KVM (/dev/kvm) and prints "
                + "its observable outcomes (docs/harness.md), plus a Makefile: 'make -C DIR results.txt' on a KVM host, then "
                + "'kvmsim verify FILE... --results DIR/results.txt' anywhere.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim harness scenarios/conformance/*.yaml -o /tmp/h",
                "  make -C /tmp/h results.txt        # on a KVM host: C compiler and linux/kvm.h only",
                "",
                "A scenario the harness cannot run (kvmsim verify --explain-unsupported FILE) is skipped with its reason.",
                "Exit codes: 0 written, 2 invalid input."})
public final class HarnessCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files or built-in scenario names.")
    List<String> files;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory for NAME.c files and the Makefile.")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (String f : files) {
            try {
                Scenario s = ScenarioFiles.load(f);
                Scenario prev = scenarios.putIfAbsent(s.name(), s);
                if (prev != null && !f.equals(prev.source())) {
                    errors.add(f + ": scenario name '" + s.name() + "' is also the name of " + prev.source() + " (one C program per name)");
                }
            } catch (UserError e) {
                errors.addAll(e.lines());
            }
        }
        if (!errors.isEmpty()) {
            throw new UserError(errors);
        }
        List<String> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Scenario s : scenarios.values()) {
                List<Support.Finding> bad = Support.unsupported(s);
                if (!bad.isEmpty()) {
                    err.println("kvmsim: skipped " + s.source() + " (" + s.name() + "): not supported by the harness: " + bad.get(0).render());
                    continue;
                }
                Path c = dir.resolve(s.name() + ".c");
                Files.writeString(c, CHarness.program(s));
                written.add(s.name());
                out.println("wrote " + c);
            }
            Files.writeString(dir.resolve("Makefile"), CHarness.makefile(written));
        } catch (IOException e) {
            throw new UserError(dir + ": cannot write: " + e.getMessage());
        }
        out.println("wrote " + dir.resolve("Makefile") + " (" + written.size() + " program(s)); on a KVM host: make -C " + dir + " results.txt");
        out.flush();
        err.flush();
        return ExitCode.OK;
    }
}
