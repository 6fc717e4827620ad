package dev.kvmsim.cli.commands;

import dev.kvmsim.scenarios.ScenarioLibrary;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kvmsim list}: the built-in scenarios with their descriptions. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the built-in scenarios with their descriptions. A built-in scenario is named by "
                + "its name wherever a FILE is asked for.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim list", "  kvmsim list --long", "  kvmsim run $(kvmsim list --names | head -1)"})
public final class ListCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--names", description = "Print only the names, one a line (for scripts).")
    boolean namesOnly;

    @CommandLine.Option(names = {"-l", "--long"}, description = "Print each whole description (default: its first sentence).")
    boolean full;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ScenarioLibrary.Entry> entries = ScenarioLibrary.list();
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (ScenarioLibrary.Entry e : entries) {
            if (namesOnly) {
                out.println(e.name());
            } else {
                String desc = e.description() == null ? "" : e.description().strip().replaceAll("\\s+", " ");
                if (!full) {
                    desc = firstSentence(desc);
                }
                out.printf("%-" + width + "s  %s%n", e.name(), desc);
            }
        }
        out.flush();
        return 0;
    }

    /** Up to the first ". " (a sentence end), or the whole text. */
    static String firstSentence(String s) {
        int end = s.indexOf(". ");
        return end < 0 ? s : s.substring(0, end + 1);
    }
}
