package dev.kvmsim.harness;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Host tools the tests use when present (GNU as, objcopy, gcc): each use skips with a visible reason where one is missing. */
public final class Tools {
    private Tools() {}

    /** Skips the calling test (with a reason in the report) unless {@code tool} is on the PATH. */
    public static void assumeOnPath(String tool) {
        Assumptions.assumeTrue(onPath(tool), () -> "skipped: '" + tool + "' is not installed (CI installs binutils and gcc)");
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command in {@code dir}; returns its exit code; output goes to {@code log}. */
    public static int run(Path dir, Path log, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return p.exitValue();
    }

    /** Assembles a GNU as listing with {@code as --32} and returns the raw .text bytes ({@code objcopy -O binary}). */
    public static byte[] gnuAssemble(Path dir, String listing) throws IOException, InterruptedException {
        Path src = dir.resolve("t.s");
        Files.writeString(src, listing, StandardCharsets.UTF_8);
        Path log = dir.resolve("as.log");
        if (run(dir, log, List.of("as", "--32", "-o", "t.o", "t.s")) != 0) {
            throw new AssertionError("as failed: " + Files.readString(log));
        }
        if (run(dir, log, List.of("objcopy", "-O", "binary", "-j", ".text", "t.o", "t.bin")) != 0) {
            throw new AssertionError("objcopy failed: " + Files.readString(log));
        }
        return Files.readAllBytes(dir.resolve("t.bin"));
    }
}
