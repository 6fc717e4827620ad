package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.io.OutputFiles;
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
import java.util.List;
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
        List<Path> inputs = settings.inputs(file);
        Path traceTarget = null;
        if (trace != null || traceOut != null) {
            traceTarget = OutputFiles.check("--trace-out", tracePath(), inputs);
        }
        Path reportTarget = report == null ? null : OutputFiles.check("--report", report, inputs);
        OutputFiles.distinct("--report", reportTarget, "--trace-out", traceTarget);
        TraceSink sink = openTrace(scenario, traceTarget);
        Report r;
        try {
            r = settings.run(scenario, sink, spec.commandLine().getErr());
        } catch (java.io.UncheckedIOException e) {
            // only the trace file does I/O during a run
            throw new UserError("--trace-out: " + e.getMessage());
        } finally {
            if (sink != null) {
                try {
                    sink.close();
                } catch (java.io.UncheckedIOException e) {
                    throw new UserError("--trace-out: " + e.getMessage());
                }
            }
        }
        out.print(Summary.text(r));
        out.flush();
        boolean stopped = RunSettings.reportStop(r, file, spec.commandLine().getErr());
        if (reportTarget != null) {
            // after the summary: a report that cannot be written does not lose it
            OutputFiles.write("--report", reportTarget, o -> o.write(ReportWriter.json(r).getBytes(StandardCharsets.UTF_8)));
        }
        if (stopped) {
            return ExitCode.INVALID;
        }
        return r.passed() ? ExitCode.OK : ExitCode.FAILED;
    }

    private TraceFormat traceFormat() {
        return trace != null ? trace : TraceFormat.fromFileName(traceOut.toString());
    }

    private Path tracePath() {
        return traceOut != null ? traceOut : Path.of("kvmsim-trace." + traceFormat().extension);
    }

    private TraceSink openTrace(Scenario scenario, Path path) {
        if (path == null) {
            return null;
        }
        TraceFormat format = traceFormat();
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
}
