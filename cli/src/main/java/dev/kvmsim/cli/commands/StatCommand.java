package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.stat.KvmStatEvent;
import dev.kvmsim.cli.stat.KvmStatReport;
import dev.kvmsim.cli.stat.KvmStatSink;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.model.Scenario;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim stat FILE}: a {@code perf kvm stat report} of a run, computed from its tracepoints. */
@Command(name = "stat", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a scenario and print what 'perf kvm stat report' would show for it: per exit reason "
                + "(or per port / address) Samples, Samples%%, Time%%, Min, Max and Avg time with its relative "
                + "standard deviation, from kvm_exit to the vCPU's next kvm_entry as perf pairs them.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim stat virtio-net-notify",
                "  kvmsim stat pci-testdev-costs --event ioport",
                "  kvmsim stat my.yaml --event mmio --seed 3",
                "",
                "ioport times run from kvm_pio to kvm_entry; mmio writes from kvm_mmio to kvm_entry (a length-0",
                "ioeventfd hit has only kvm_fast_mmio and, as in perf, is not counted under mmio).",
                "Exit codes: 0 the report was printed, 2 invalid input."})
public final class StatCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A scenario file or a built-in scenario's name.")
    String file;

    @Option(names = "--event", paramLabel = "EVENT", defaultValue = "vmexit",
            description = "What to analyse: vmexit (default), ioport or mmio.")
    String event;

    @Mixin
    RunSettings settings;

    @Override
    public Integer call() {
        KvmStatEvent mode;
        try {
            mode = KvmStatEvent.parse(event);
        } catch (IllegalArgumentException e) {
            throw new UserError("--event: " + e.getMessage());
        }
        Scenario scenario = ScenarioFiles.load(file);
        KvmStatSink sink = new KvmStatSink(mode);
        Report r = settings.run(scenario, sink, spec.commandLine().getErr());
        spec.commandLine().getOut().print(KvmStatReport.render(sink));
        spec.commandLine().getOut().flush();
        return RunSettings.reportStop(r, file, spec.commandLine().getErr()) ? ExitCode.INVALID : ExitCode.OK;
    }
}
