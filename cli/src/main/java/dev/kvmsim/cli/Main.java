package dev.kvmsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kvmsim} command line. */
@Command(name = "kvmsim", mixinStandardHelpOptions = true, version = "kvmsim 0.1.0",
        description = "A discrete-event simulator of the Linux KVM notification path.",
        subcommands = {BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
