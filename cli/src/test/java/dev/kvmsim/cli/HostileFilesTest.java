package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Files that are not what they seem (docs/cli.md "Files"): refused before the run, never clobbered. */
class HostileFilesTest {
    @TempDir
    Path dir;

    private Path scenario() throws IOException {
        return Files.writeString(dir.resolve("s.yaml"), MainTest.MINIMAL);
    }

    private String[] tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toArray(String[]::new);
        }
    }

    @Test
    void report_namingTheInputScenario_isRefusedBeforeTheRun_andTheScenarioIsKept() throws Exception {
        Path s = scenario();
        Cli r = Cli.run("run", s.toString(), "--report", s.toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("is the input"), r.err());
        assertEquals("", r.out());
        assertEquals(MainTest.MINIMAL, Files.readString(s));
    }

    @Test
    void traceOut_namingADirectory_isRefusedBeforeTheRun_withNoTemporaryLeft() throws Exception {
        Path s = scenario();
        Path d = Files.createDirectory(dir.resolve("out"));
        Cli r = Cli.run("run", s.toString(), "--trace", "chrome", "--trace-out", d.toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("--trace-out " + d + ": is a directory"), r.err());
        assertEquals(0, tmpFiles().length);
    }

    @Test
    void report_namingADevice_isRefused() throws Exception {
        Path s = scenario();
        Cli r = Cli.run("run", s.toString(), "--report", "/dev/null");
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("--report /dev/null: is not a regular file"), r.err());
    }

    @Test
    void report_throughASymlink_replacesTheFileItPointsTo_andKeepsTheLink() throws Exception {
        Path s = scenario();
        Path real = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
        Cli r = Cli.run("run", s.toString(), "--report", link.toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(real).contains("\"scenario\" : \"minimal\""));
    }

    @Test
    void report_throughASymlinkToTheInput_isRefused() throws Exception {
        Path s = scenario();
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), s);
        Cli r = Cli.run("run", s.toString(), "--report", link.toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertEquals(MainTest.MINIMAL, Files.readString(s));
    }

    @Test
    void report_thatCannotBeWritten_stillPrintsTheSummary() throws Exception {
        // refused before the run when it is not writable, or failing after it (as root): either way exit 2
        Path s = scenario();
        Cli r = Cli.run("run", s.toString(), "--report", "/proc/version");
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().startsWith("kvmsim: --report /proc/version: "), r.err());
        if (r.err().contains("cannot write")) {
            assertTrue(r.out().startsWith("scenario minimal (seed 1)"), r.out());
        } else {
            assertTrue(r.err().contains("is not writable"), r.err());
        }
    }

    @Test
    void reportAndTrace_namingOneFile_areRefused() throws Exception {
        Path s = scenario();
        Path out = dir.resolve("x.json");
        Cli r = Cli.run("run", s.toString(), "--report", out.toString(), "--trace", "jsonl", "--trace-out", out.toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("name the same file"), r.err());
    }

    @Test
    void scenario_thatIsAFifo_isRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("s.yaml");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        Cli r = Cli.run("validate", fifo.toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("is not a regular file"), r.err());
    }

    @Test
    void costs_fromADevice_areRefused_notReadWhole() throws Exception {
        Path s = scenario();
        Cli r = Cli.run("run", s.toString(), "--costs", "/dev/zero");
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("/dev/zero: is not a regular file"), r.err());
    }

    @Test
    void standardOutputThatFails_isExitTwo() throws Exception {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        }));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = Main.execute(cl, new String[] {"run", scenario().toString()});
        assertEquals(ExitCode.INVALID, code);
        assertTrue(err.toString().contains("cannot write to standard output"), err.toString());
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anErrorEscapingACommand_isOneLineAndExitThree() {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand(new CommandLine(new Boom()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int code = Main.execute(cl, new String[] {"boom"});
        assertEquals(ExitCode.INTERNAL, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("kvmsim: internal error: "), err.toString());
        assertTrue(err.toString().contains("OutOfMemoryError"), err.toString());
    }
}
