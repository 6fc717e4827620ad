package dev.kvmsim.cli;

import dev.kvmsim.cli.commands.CheckCommand;
import dev.kvmsim.cli.commands.CompletionCommand;
import dev.kvmsim.cli.commands.DiffCommand;
import dev.kvmsim.cli.commands.ExplainCommand;
import dev.kvmsim.cli.commands.HarnessCommand;
import dev.kvmsim.cli.commands.ListCommand;
import dev.kvmsim.cli.commands.RunCommand;
import dev.kvmsim.cli.commands.StatCommand;
import dev.kvmsim.cli.commands.SweepCommand;
import dev.kvmsim.cli.commands.ValidateCommand;
import dev.kvmsim.cli.commands.VerifyCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code kvmsim} command line: parses arguments, calls the scenarios module, renders.
 *
 * <p>Exit codes ({@link ExitCode}): 0 all good, 1 an expectation failed, 2 invalid input
 * (usage, file, scenario), 3 an internal error. Errors go to standard error, one line each;
 * a stack trace is printed only with the global {@code --debug}.
 */
@Command(name = "kvmsim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A discrete-event simulator of the Linux KVM notification path "
                + "(guest write -> exit -> ioeventfd -> eventfd -> host thread -> irqfd -> routing -> APIC -> injection).",
        subcommands = {RunCommand.class, CheckCommand.class, ExplainCommand.class, StatCommand.class,
                ListCommand.class, ValidateCommand.class, HarnessCommand.class, VerifyCommand.class, DiffCommand.class, SweepCommand.class, CompletionCommand.class, BenchCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim list",
                "  kvmsim run virtio-net-notify --report out.json",
                "  kvmsim check scenarios/*.yaml --junit target/kvmsim-junit.xml",
                "  kvmsim explain virtio-net-notify --steps 1",
                "  kvmsim stat virtio-net-notify --event ioport",
                "",
                "A built-in scenario is named by its name wherever a FILE is asked for.",
                "Exit codes: 0 all good, 1 an expectation failed, 2 invalid input, 3 internal error,",
                "4 verify: no usable /dev/kvm here and no --results file."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of errors (for bug reports).")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version printed by {@code --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kvmsim " + (v == null ? "0.1.0" : v),
                    "models the Linux 6.17 KVM notification path (x86, VMX with EPT)"};
        }
    }

    /** A command line wired with kvmsim's error handling; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Main::onException);
        cl.setParameterExceptionHandler(Main::onUsageError);
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        int code = execute(cl, args);
        if (System.out.checkError() && code < ExitCode.INVALID) {
            System.err.println("kvmsim: cannot write to standard output (a closed pipe or a full disk)");
            code = ExitCode.INVALID;
        }
        System.exit(code);
    }

    /**
     * Runs {@code args} on {@code cl}: anything that escapes the commands' own handling, an
     * {@link Error} included ({@code OutOfMemoryError}, {@code StackOverflowError}), is one line on
     * standard error and exit 3; output that could not be written to standard output is exit 2.
     */
    public static int execute(CommandLine cl, String[] args) {
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable t) {
            PrintWriter err = cl.getErr();
            err.println("kvmsim: internal error: " + t + " (run with --debug for the stack trace)");
            if (java.util.Arrays.asList(args).contains("--debug")) {
                t.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INTERNAL;
        }
        if (cl.getOut().checkError() && code < ExitCode.INVALID) {
            cl.getErr().println("kvmsim: cannot write to standard output (a closed pipe or a full disk)");
            cl.getErr().flush();
            code = ExitCode.INVALID;
        }
        return code;
    }

    private static int onUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("kvmsim: " + ex.getMessage());
        if (debug(cl.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCode.INVALID;
    }

    private static int onException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = debug(parsed);
        if (ex instanceof UserError u) {
            u.lines().forEach(l -> err.println("kvmsim: " + l));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.INVALID;
        }
        err.println("kvmsim: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    /** True when {@code --debug} was given on the command or any command above it. */
    private static boolean debug(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }
}
