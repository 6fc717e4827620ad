package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.harness.live.KvmHost;
import dev.kvmsim.harness.model.ModelOutcomes;
import dev.kvmsim.scenarios.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmsim harness} and {@code kvmsim verify} on a machine without /dev/kvm (the device path points nowhere). */
class VerifyCommandTest {
    @TempDir
    Path dir;

    private Path scenario;
    private String modelResults;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty(KvmHost.DEVICE_PROPERTY, dir.resolve("no-kvm").toString());
        scenario = Files.writeString(dir.resolve("tiny.yaml"), CommandsTest.NOTIFY.replace("DELIVERED", "2"));
        modelResults = ModelOutcomes.of(ScenarioLoader.load(scenario.toString()).orThrow()).render();
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(KvmHost.DEVICE_PROPERTY);
    }

    @Test
    void withoutKvmAndWithoutResultsExitsFourWithOneLine() {
        Cli r = Cli.run("verify", scenario.toString());
        assertEquals(ExitCode.NO_KVM, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("kvmsim: verify: "), r.err());
        assertTrue(r.err().contains("no --results file"), r.err());
    }

    @Test
    void resultsThatMatchTheModelAgree() throws Exception {
        Path res = Files.writeString(dir.resolve("r.txt"), "# from a KVM host\ninfo host test\n" + modelResults);
        Cli r = Cli.run("verify", scenario.toString(), "--results", res.toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("AGREE " + scenario + " (tiny-notify): "), r.out());
        assertTrue(r.out().contains("verify: 1 agree, 0 differ, 0 skipped"), r.out());
    }

    @Test
    void aDifferentOutcomeDiffersWithItsLine() throws Exception {
        assertTrue(modelResults.contains("vcpu 0 vector 0x22 delivered 2\n"), modelResults);
        Path res = Files.writeString(dir.resolve("r.txt"), modelResults.replace("vcpu 0 vector 0x22 delivered 2", "vcpu 0 vector 0x22 delivered 1"));
        Cli r = Cli.run("verify", scenario.toString(), "--results", res.toString());
        assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("DIFFER " + scenario + " (tiny-notify): 1 difference(s)"), r.out());
        assertTrue(r.out().contains("  vcpu 0 vector 0x22 delivered: model 2, kernel 1  (results line "), r.out());
    }

    @Test
    void aMarkedHostQuirkIsPrintedButAgrees() throws Exception {
        Path marked = Files.writeString(dir.resolve("marked.yaml"), "# host-quirk: test-quirk: a host that takes one interrupt less\n"
                + "# verify-known-difference: vcpu 0 vector 0x22 delivered (host-quirk test-quirk)\n" + Files.readString(scenario));
        Path res = Files.writeString(dir.resolve("r.txt"), modelResults.replace("vcpu 0 vector 0x22 delivered 2", "vcpu 0 vector 0x22 delivered 1"));
        Cli r = Cli.run("verify", marked.toString(), "--results", res.toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("1 known host-quirk difference(s)"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  vcpu 0 vector 0x22 delivered: model 2, kernel 1  (results line ") && l.endsWith("  [known: host-quirk test-quirk]")), r.out());
    }

    @Test
    void aScenarioWithoutResultsIsMissing() throws Exception {
        Path res = Files.writeString(dir.resolve("r.txt"), modelResults.replace("scenario tiny-notify", "scenario other"));
        Cli r = Cli.run("verify", scenario.toString(), "--results", res.toString());
        assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("MISSING " + scenario + " (tiny-notify): no results for this scenario"), r.out());
    }

    @Test
    void aMalformedResultsFileIsInvalidInputWithFileAndLine() throws Exception {
        Path res = Files.writeString(dir.resolve("r.txt"), "kvmsim-results 1\nscenario tiny-notify\nstep zero irqfd ok\n");
        Cli r = Cli.run("verify", scenario.toString(), "--results", res.toString());
        assertEquals(ExitCode.INVALID, r.code(), r.out() + r.err());
        assertEquals("kvmsim: " + res + ":3: malformed record 'step zero irqfd ok': expected 'step INDEX ACTION RESULT'", r.err().strip());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void aMissingResultsFileIsInvalidInput() {
        Cli r = Cli.run("verify", scenario.toString(), "--results", dir.resolve("none.txt").toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertEquals("kvmsim: " + dir.resolve("none.txt") + ": cannot read: no such file", r.err().strip());
    }

    @Test
    void explainUnsupportedListsEventfdSignalAndWhatIsNotCompared() {
        Cli r = Cli.run("verify", "--explain-unsupported", "virqfd-poll", "virtio-net-notify");
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("library:virqfd-poll (virqfd-poll): NOT supported by the harness"), r.out());
        assertTrue(r.out().contains("unsupported: line 19: host[0] eventfd_signal: the in-kernel eventfd_signal has no system call"), r.out());
        assertTrue(r.out().contains("(virtio-net-notify): supported by the harness"), r.out());
        assertTrue(r.out().contains("not compared: "), r.out());
    }

    @Test
    void unsupportedScenariosAreSkippedVisibly() throws Exception {
        Path res = Files.writeString(dir.resolve("r.txt"), modelResults);
        Cli r = Cli.run("verify", "virqfd-poll", "--results", res.toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("SKIP library:virqfd-poll (virqfd-poll): not supported by the harness: line 19: host[0] eventfd_signal"), r.out());
        assertTrue(r.out().contains("verify: 0 agree, 0 differ, 1 skipped"), r.out());
    }

    @Test
    void harnessWritesOneProgramPerScenarioAndAMakefile() throws Exception {
        Path out = dir.resolve("h");
        Cli r = Cli.run("harness", scenario.toString(), "virqfd-poll", "-o", out.toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(Files.readString(out.resolve("tiny-notify.c")).contains("#include <linux/kvm.h>"));
        assertTrue(Files.readString(out.resolve("Makefile")).contains("SCENARIOS = tiny-notify\n"));
        assertFalse(Files.exists(out.resolve("virqfd-poll.c")));
        assertTrue(r.err().contains("kvmsim: skipped library:virqfd-poll (virqfd-poll): not supported by the harness"), r.err());
    }
}
