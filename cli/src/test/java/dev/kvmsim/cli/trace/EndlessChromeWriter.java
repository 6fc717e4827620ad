package dev.kvmsim.cli.trace;

import dev.kvmsim.cli.FakeTraces;
import java.nio.file.Path;

/** A process that streams a Chrome trace until it is killed (for {@link TraceInterruptTest}). */
public final class EndlessChromeWriter {
    private EndlessChromeWriter() { }

    public static void main(String[] args) {
        ChromeTraceSink sink = new ChromeTraceSink(TraceFile.open(Path.of(args[0])), "endless");
        for (long i = 0; ; i++) {
            FakeTraces.notification(i * 10_000L).forEach(sink::accept);
        }
    }
}
