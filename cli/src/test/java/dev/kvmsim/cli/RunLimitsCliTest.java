package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run always ends (docs/cli.md, "Limits"): a stopped run prints what it has and exits 2. */
class RunLimitsCliTest {
    @TempDir
    Path dir;

    static final String ENDLESS = """
            version: 1
            name: endless
            guest:
              - vcpu: 0
                program:
                  - repeat: 18446744073709551615
                    do:
                      - compute: 1us
            """;

    @Test
    void maxEvents_stopsTheRun_printsTheSummaryAndReport_exitsTwo() throws Exception {
        Path f = Files.writeString(dir.resolve("endless.yaml"), ENDLESS);
        Path report = dir.resolve("r.json");
        Cli r = Cli.run("run", f.toString(), "--max-events", "500", "--report", report.toString());
        assertEquals(ExitCode.INVALID, r.code(), r.err());
        assertTrue(r.out().contains("STOPPED: event budget: stopped after 500 events"), r.out());
        assertTrue(r.err().contains("endless.yaml: run stopped: event budget"), r.err());
        assertTrue(Files.readString(report).contains("\"stopped\" : \"event budget"), Files.readString(report));
    }

    @Test
    void maxEvents_rejectsANonNumber() {
        Cli r = Cli.run("run", "virtio-net-notify", "--max-events", "-1");
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("--max-events '-1': expected a number of events"), r.err());
    }

    @Test
    void check_countsAStoppedRunAsInvalid() throws Exception {
        Path f = Files.writeString(dir.resolve("endless.yaml"), ENDLESS);
        Cli r = Cli.run("check", f.toString(), "--max-events", "100");
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("run stopped: event budget"), r.err());
    }
}
