package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    static final String MINIMAL = "version: 1\nname: minimal\ndescription: nothing happens\n";

    @Test
    void version_printsNameAndExitsZero() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("kvmsim "), r.out());
    }

    @Test
    void help_everyCommandHasExamples() {
        for (String cmd : new String[] {"run", "check", "explain", "stat", "list", "validate", "completion"}) {
            Cli r = Cli.run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Examples:"), cmd + ": " + r.out());
        }
        assertTrue(Cli.run("--help").out().contains("Exit codes"));
    }

    @Test
    void unknownOption_isAUsageErrorExitingTwo() {
        Cli r = Cli.run("validate", "--frobnicate", "x.yaml");
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().startsWith("kvmsim: Unknown option: '--frobnicate'"), r.err());
        assertTrue(r.err().contains("Try 'kvmsim validate --help'"), r.err());
    }

    @Test
    void unknownCommand_exitsTwo() {
        assertEquals(ExitCode.INVALID, Cli.run("frobnicate").code());
    }

    @Test
    void validate_okFileAndBrokenFile() throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.yaml"), MINIMAL);
        Path bad = Files.writeString(dir.resolve("bad.yaml"), MINIMAL + "vmm: {}\n");
        Cli good = Cli.run("validate", ok.toString());
        assertEquals(0, good.code(), good.err());
        assertEquals(ok + ": ok\n", good.out());
        Cli r = Cli.run("validate", ok.toString(), bad.toString());
        assertEquals(ExitCode.INVALID, r.code());
        // one line per error, with file:line:col
        assertTrue(r.err().startsWith("kvmsim: " + bad + ":4:1: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void validate_missingFileExitsTwo() {
        Cli r = Cli.run("validate", dir.resolve("nope.yaml").toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("nope.yaml"), r.err());
    }

    @Test
    void unexpectedException_isOneLineInternalErrorExitingThree() {
        picocli.CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new picocli.CommandLine(new Boom()));
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(ExitCode.INTERNAL, cl.execute("boom"));
        assertEquals("kvmsim: internal error: java.lang.IllegalStateException: broken (run with --debug for the stack trace)\n",
                err.toString());
    }

    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("broken");
        }
    }

    @Test
    void completion_printsABashScriptCoveringTheCommands() {
        Cli r = Cli.run("completion");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("complete -F"), r.out());
        assertTrue(r.out().contains("validate"));
    }

    @Test
    void list_printsEachBuiltInScenario() {
        Cli r = Cli.run("list", "--names");
        assertEquals(0, r.code(), r.err());
        assertEquals(dev.kvmsim.scenarios.ScenarioLibrary.names(), r.out().lines().toList());
    }
}
