package dev.kvmsim.cli.commands;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the bash (and zsh, through bashcompinit) completion script that picocli generates. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for kvmsim on standard output.",
        footerHeading = "%nExamples:%n",
        footer = {"  source <(kvmsim completion)                 # this shell",
                "  kvmsim completion > /etc/bash_completion.d/kvmsim   # every shell"})
public final class CompletionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(spec.root().name(), root);
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
    }
}
