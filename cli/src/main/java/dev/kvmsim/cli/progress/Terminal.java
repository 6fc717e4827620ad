package dev.kvmsim.cli.progress;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error is a terminal, so that a progress line is shown there. */
public final class Terminal {
    private Terminal() {}

    /**
     * True when standard error is a terminal: the launcher's answer ({@code -Dkvmsim.stderr.tty},
     * from the shell's {@code [ -t 2 ]}) when given; else, on Linux, whether descriptor 2 is a
     * tty device; else whether the JVM has a console (standard input and output terminals).
     * Redirecting standard output alone does not hide the progress line.
     */
    public static boolean stderrIsTerminal() {
        String told = System.getProperty("kvmsim.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        try {
            Path fd2 = Path.of("/proc/self/fd/2");
            if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            // fall through to the console test
        }
        return System.console() != null;
    }
}
