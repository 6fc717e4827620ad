package dev.kvmsim.cli;

/** The exit codes of every kvmsim command (docs/cli.md "Exit codes and errors"). */
public final class ExitCode {
    /** Everything ran and every expectation held. */
    public static final int OK = 0;
    /** An expectation (end-of-run or a step's own) failed. */
    public static final int FAILED = 1;
    /** Invalid input: usage, a file that cannot be read, a scenario that does not load. */
    public static final int INVALID = 2;
    /** A bug in kvmsim (an unexpected exception); the message asks for a report. */
    public static final int INTERNAL = 3;
    /** {@code verify}: this machine cannot run the harness (no usable /dev/kvm) and no results file was given. */
    public static final int NO_KVM = 4;

    private ExitCode() { }
}
