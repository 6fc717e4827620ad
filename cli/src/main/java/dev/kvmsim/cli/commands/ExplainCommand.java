package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.ScenarioFiles;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.explain.KvmCostCatalog;
import dev.kvmsim.cli.explain.MermaidDiagram;
import dev.kvmsim.cli.explain.Narration;
import dev.kvmsim.cli.explain.NotificationRecorder;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.model.Scenario;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim explain FILE}: a narrated walk through the first notifications of a run. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Narrate the first notifications of a run step by step: simulated time, the component, the "
                + "kernel function each step models, what happened and why, and what each step cost (with the "
                + "source of the figure, or 'an estimate').",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim explain virtio-net-notify",
                "  kvmsim explain virtio-net-notify --steps 3",
                "  kvmsim explain virtio-net-notify --diagram mermaid > notification.md",
                "",
                "A notification is a guest write absorbed by an ioeventfd; it is followed through the eventfd, the host",
                "thread, the irqfd, the routing and the APIC up to the guest's EOI of the interrupt it causes. A scenario",
                "without one (driven by host steps) is told from its first host-side eventfd signals or writes.",
                "Exit codes: 0 explained, 2 invalid input."})
public final class ExplainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A scenario file or a built-in scenario's name.")
    String file;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1",
            description = "How many notifications to narrate (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--diagram", paramLabel = "KIND",
            description = "Print a diagram of the first notification instead of the narration: mermaid "
                    + "(a ```mermaid fenced sequence diagram, ready to paste into Markdown).")
    String diagram;

    @Mixin
    RunSettings settings;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new UserError("--steps " + steps + ": expected at least 1");
        }
        if (diagram != null && !diagram.equals("mermaid")) {
            throw new UserError("--diagram '" + diagram + "': the only diagram kind is mermaid");
        }
        Scenario scenario = ScenarioFiles.load(file);
        int wanted = diagram != null ? 1 : steps;
        NotificationRecorder guest = new NotificationRecorder(wanted, NotificationRecorder.Start.IOEVENTFD);
        NotificationRecorder host = new NotificationRecorder(wanted, NotificationRecorder.Start.HOST_SIGNAL);
        Report run = settings.run(scenario, e -> {
            guest.accept(e);
            host.accept(e);
        }, spec.commandLine().getErr());
        // a run without any absorbed guest write (driven by host steps) is told from its host signals
        NotificationRecorder recorder = guest.starts().isEmpty() && !host.starts().isEmpty() ? host : guest;
        String heading = recorder == guest ? "a guest write absorbed by an ioeventfd, and what it causes"
                : "a host step signals an eventfd, and what it causes";
        PrintWriter out = spec.commandLine().getOut();
        List<TraceEvent> events = recorder.events();
        if (diagram != null) {
            out.print(MermaidDiagram.render(scenario.name() + ": one notification", events));
        } else {
            KvmCostCatalog catalog = new KvmCostCatalog(costModel(scenario));
            Narration narration = new Narration(catalog);
            out.println("Scenario " + scenario.name() + (scenario.description() == null || scenario.description().isBlank()
                    ? "" : ": " + scenario.description().strip().replaceAll("\\s+", " ")));
            out.println("Each step: number, simulated time, [task], kernel function -> event, then what happened and why,");
            out.println("then its cost: the simulated time since what it waited for, and the named costs of the cost model");
            out.println("that add up to it ('=') or that it includes; [estimate] marks a cost no published figure backs.");
            out.println();
            out.print(narration.render(events, recorder.starts(), heading));
            String sources = catalog.sources(narration.cited());
            if (!sources.isEmpty()) {
                out.println();
                out.println("Costs cited (sim-kvm cost model; 'estimate' = no published figure, see docs/costs.md):");
                out.print(sources);
            }
        }
        out.flush();
        return RunSettings.reportStop(run, file, spec.commandLine().getErr()) ? ExitCode.INVALID : ExitCode.OK;
    }

    private CostModel costModel(Scenario s) {
        Map<String, String> costs = new HashMap<>(s.vm().costs());
        costs.putAll(settings.options(null).costsOverride());
        return CostModel.defaults().withOverrides(costs);
    }
}
