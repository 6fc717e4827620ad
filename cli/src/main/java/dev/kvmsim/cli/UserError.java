package dev.kvmsim.cli;

import java.util.List;

/**
 * Invalid input found by a command (a missing file, a scenario that does not load, a bad option
 * value): each line is printed on standard error as it is (already in {@code file:line:col:
 * message} form where a position is known) and the command exits with {@link ExitCode#INVALID}.
 */
public final class UserError extends RuntimeException {
    private final List<String> lines;

    public UserError(List<String> lines) {
        super(String.join("; ", lines));
        this.lines = List.copyOf(lines);
    }

    public UserError(String line) {
        this(List.of(line));
    }

    public List<String> lines() {
        return lines;
    }
}
