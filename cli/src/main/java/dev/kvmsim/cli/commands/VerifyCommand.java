package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.harness.Verification;
import dev.kvmsim.harness.compare.HostQuirks;
import dev.kvmsim.harness.gen.Support;
import dev.kvmsim.harness.live.KvmHost;
import dev.kvmsim.harness.live.LiveRun;
import dev.kvmsim.harness.results.ResultsFormat;
import dev.kvmsim.harness.results.ResultsFormatException;
import dev.kvmsim.harness.results.RunResults;
import dev.kvmsim.scenarios.model.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim verify FILE... [--results OUT.txt]}: compare the model with the real kernel, outcome by outcome. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare the model with the real KVM: every observable outcome (step results and errnos, check values, "
                + "per-write kernel/userspace counts, eventfd counters, vectors taken, userspace exits), never timing. "
                + "With a usable /dev/kvm: generates, compiles (cc) and runs each scenario's C harness; with --results: "
                + "compares the results a harness printed elsewhere (docs/harness.md).",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim verify scenarios/conformance/*.yaml                      # on a KVM host",
                "  kvmsim verify scenarios/conformance/*.yaml --results results.txt",
                "  kvmsim verify --explain-unsupported scenarios/library/virqfd-poll.yaml",
                "",
                "Exit codes: 0 every compared scenario agrees, 1 a scenario differs or has no results, 2 invalid input,",
                "4 no usable /dev/kvm here and no --results file."})
public final class VerifyCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files or built-in scenario names.")
    List<String> files;

    @Option(names = "--results", paramLabel = "OUT.txt", description = "Compare with the results a harness printed (make results.txt on a KVM host).")
    Path results;

    @Option(names = "--explain-unsupported", description = "List what of each scenario the harness cannot run, and what it does not compare; run nothing.")
    boolean explain;

    @Option(names = "--keep", paramLabel = "DIR", description = "With /dev/kvm: build and run the harnesses in DIR and keep them (default: a temporary directory).")
    Path keep;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "With /dev/kvm: the longest one harness may run (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Scenario> scenarios = load();
        if (explain) {
            for (Scenario s : scenarios) {
                explain(out, s);
            }
            out.flush();
            return ExitCode.OK;
        }
        Map<String, RunResults> kernel = null;
        if (results != null) {
            kernel = readResults();
        } else if (!KvmHost.usable()) {
            spec.commandLine().getErr().println("kvmsim: verify: " + KvmHost.device() + " is not usable on this machine and no --results file was given "
                    + "(run 'kvmsim harness FILE... -o DIR' and 'make -C DIR results.txt' on a KVM host, then --results DIR/results.txt)");
            spec.commandLine().getErr().flush();
            return ExitCode.NO_KVM;
        }
        int agree = 0;
        int differ = 0;
        int skipped = 0;
        Path work = workDir();
        for (Scenario s : scenarios) {
            Verification v = verify(s, kernel, work);
            v.render().forEach(out::println);
            out.flush();
            switch (v.status()) {
                case AGREE -> agree++;
                case SKIPPED -> skipped++;
                default -> differ++;
            }
        }
        out.println("verify: " + agree + " agree, " + differ + " differ, " + skipped + " skipped (not supported by the harness)");
        out.flush();
        return differ > 0 ? ExitCode.FAILED : ExitCode.OK;
    }

    private List<Scenario> load() {
        List<Scenario> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String f : files) {
            try {
                out.add(ScenarioFiles.load(f));
            } catch (UserError e) {
                errors.addAll(e.lines());
            }
        }
        if (!errors.isEmpty()) {
            throw new UserError(errors);
        }
        return out;
    }

    private void explain(PrintWriter out, Scenario s) {
        List<Support.Finding> bad = Support.unsupported(s);
        List<Support.Finding> notCompared = Support.notCompared(s);
        out.println(s.source() + " (" + s.name() + "): " + (bad.isEmpty() ? "supported by the harness" : "NOT supported by the harness"));
        bad.forEach(f -> out.println("  unsupported: " + f.render()));
        notCompared.forEach(f -> out.println("  not compared: " + f.render()));
    }

    private Map<String, RunResults> readResults() {
        String text;
        try {
            text = Files.readString(results);
        } catch (IOException e) {
            throw new UserError(results + ": cannot read: " + (Files.exists(results) ? e.getMessage() : "no such file"));
        }
        try {
            Map<String, RunResults> byName = new HashMap<>();
            for (RunResults r : ResultsFormat.parse(results.toString(), text)) {
                RunResults prev = byName.putIfAbsent(r.scenario(), r);
                if (prev != null) {
                    throw new UserError(results + ":" + r.line() + ": a second section for scenario '" + r.scenario() + "' (the first is on line " + prev.line() + ")");
                }
            }
            return byName;
        } catch (ResultsFormatException e) {
            throw new UserError(e.getMessage());
        }
    }

    private Path workDir() {
        if (results != null) {
            return null;
        }
        try {
            return keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("kvmsim-verify");
        } catch (IOException e) {
            throw new UserError((keep != null ? keep : "temporary directory") + ": cannot create: " + e.getMessage());
        }
    }

    private Verification verify(Scenario s, Map<String, RunResults> kernel, Path work) {
        List<Support.Finding> bad = Support.unsupported(s);
        if (!bad.isEmpty()) {
            return Verification.skipped(s.source(), s, bad);
        }
        RunResults r;
        if (kernel != null) {
            r = kernel.get(s.name());
            if (r == null) {
                return Verification.missing(s.source(), s);
            }
        } else {
            try {
                r = new LiveRun(work, timeoutSeconds).run(s);
            } catch (IOException | ResultsFormatException e) {
                throw new UserError(s.source() + ": the harness did not run: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
        }
        return Verification.of(s.source(), s, r, quirks(s));
    }

    /** The known host-quirk differences marked in the scenario's file (none for built-in scenarios). */
    private static HostQuirks quirks(Scenario s) {
        Path p = Path.of(s.source());
        try {
            return Files.isRegularFile(p) ? HostQuirks.parse(Files.readString(p)) : HostQuirks.none();
        } catch (IOException e) {
            return HostQuirks.none();
        }
    }
}
