package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.trace.ChromeTraceSink;
import dev.kvmsim.cli.trace.FtraceSink;
import dev.kvmsim.cli.trace.JsonlSink;
import dev.kvmsim.cli.trace.TraceFile;
import dev.kvmsim.core.trace.TraceSink;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.ReportWriter;
import dev.kvmsim.scenarios.Summary;
import dev.kvmsim.scenarios.model.Scenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim run FILE}: run a scenario, print its summary, optionally write a report and a trace. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a scenario and print a summary (exits, interrupts delivered, latencies, expectations).",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim run virtio-net-notify",
                "  kvmsim run my.yaml --seed 7 --until 5ms --report out.json",
                "  kvmsim run virtio-net-notify --trace ftrace --trace-out trace.txt",
                "  kvmsim run virtio-net-notify --trace chrome --trace-out trace.json   # open in ui.perfetto.dev",
                "  kvmsim run virtio-net-notify --costs host-profile.yaml",
                "",
                "Trace files are written to FILE.tmp and renamed when complete, also on Ctrl-C.",
                "A run always ends: --until bounds it in simulated time, --max-events in events (default 100000000),",
                "and a clock stuck at one instant for more than 10000000 events stops it; a stopped run prints and",
                "writes what it has and exits 2.",
                "Exit codes: 0 every expectation held, 1 an expectation failed, 2 invalid input or a run stopped."})
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A scenario file (.yaml, .yml, .json) or a built-in scenario's name.")
    String file;

    @Mixin
    RunSettings settings;

    @Option(names = "--report", paramLabel = "OUT.json", description = "Write the JSON report (stable keys) to this file.")
    Path report;

    @Option(names = "--trace", paramLabel = "FORMAT",
            description = "Write a trace: ${COMPLETION-CANDIDATES} (default: from --trace-out's extension, else ftrace).")
    TraceFormat trace;

    @Option(names = "--trace-out", paramLabel = "FILE", description = "Where the trace goes (default: kvmsim-trace.txt/.json/.jsonl).")
    Path traceOut;

    @Override
    public Integer call() throws IOException {
        Scenario scenario = ScenarioFiles.load(file);
        PrintWriter out = spec.commandLine().getOut();
        TraceSink sink = openTrace(scenario);
        Report r;
        try {
            r = settings.run(scenario, sink, spec.commandLine().getErr());
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
        out.print(Summary.text(r));
        if (report != null) {
            writeReport(r);
        }
        out.flush();
        if (RunSettings.reportStop(r, file, spec.commandLine().getErr())) {
            return ExitCode.INVALID;
        }
        return r.passed() ? ExitCode.OK : ExitCode.FAILED;
    }

    private TraceSink openTrace(Scenario scenario) {
        if (trace == null && traceOut == null) {
            return null;
        }
        TraceFormat format = trace != null ? trace : TraceFormat.fromFileName(traceOut.toString());
        Path path = traceOut != null ? traceOut : Path.of("kvmsim-trace." + format.extension);
        TraceFile f;
        try {
            f = TraceFile.open(path);
        } catch (java.io.UncheckedIOException e) {
            throw new UserError(e.getMessage());
        }
        return switch (format) {
            case ftrace -> new FtraceSink(f, cpus(scenario));
            case chrome -> new ChromeTraceSink(f, "kvmsim: " + scenario.name());
            case jsonl -> new JsonlSink(f);
        };
    }

    /** The trace's CPU count: one per vCPU and one per host thread (each runs on its own CPU). */
    static int cpus(Scenario s) {
        return s.vm().vcpus() + s.threads().size();
    }

    private void writeReport(Report r) {
        try {
            Path parent = report.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(report, ReportWriter.json(r), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("--report " + report + ": cannot write: " + e.getMessage());
        }
    }
}
