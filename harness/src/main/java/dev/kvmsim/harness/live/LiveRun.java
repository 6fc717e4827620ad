package dev.kvmsim.harness.live;

import dev.kvmsim.harness.gen.CHarness;
import dev.kvmsim.harness.results.ResultsFormat;
import dev.kvmsim.harness.results.ResultsFormatException;
import dev.kvmsim.harness.results.RunResults;
import dev.kvmsim.scenarios.model.Scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs scenarios on this machine's KVM: writes each one's C harness into a work directory,
 * compiles it with {@code cc} and runs it, and reads its results.
 */
public final class LiveRun {
    private final Path dir;
    private final long timeoutSeconds;

    public LiveRun(Path dir, long timeoutSeconds) {
        this.dir = dir;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Generates, builds and runs the harness of {@code s}; its results (a crash gives a section without {@code end}). */
    public RunResults run(Scenario s) throws IOException, InterruptedException, ResultsFormatException {
        Files.createDirectories(dir);
        Path c = dir.resolve(s.name() + ".c");
        Files.writeString(c, CHarness.program(s));
        Path log = dir.resolve(s.name() + ".build.log");
        int rc = exec(List.of(compiler(), "-O2", "-Wall", "-Wextra", "-pthread", "-o", s.name(), c.getFileName().toString()), log, null);
        if (rc != 0) {
            throw new IOException("cc failed on " + c + " (see " + log + ")");
        }
        Path out = dir.resolve(s.name() + ".results.txt");
        exec(List.of("./" + s.name()), dir.resolve(s.name() + ".stderr.txt"), out);
        String text = Files.readString(out, StandardCharsets.UTF_8);
        List<RunResults> runs = ResultsFormat.parse(out.toString(), text);
        return runs.get(0);
    }

    /** The C compiler: {@code $CC}, else {@code cc}. */
    public static String compiler() {
        String cc = System.getenv("CC");
        return cc == null || cc.isBlank() ? "cc" : cc;
    }

    private int exec(List<String> cmd, Path log, Path stdout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile());
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile()).redirectError(log.toFile());
        } else {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        return p.exitValue();
    }
}
