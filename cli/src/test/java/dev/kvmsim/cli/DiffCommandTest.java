package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmsim diff}: reports side by side, the tolerance, and invalid input. */
class DiffCommandTest {
    @TempDir
    Path dir;

    private Path report(String name, String... runArgs) throws Exception {
        Path scenario = Files.writeString(dir.resolve("tiny.yaml"), CommandsTest.NOTIFY.replace("DELIVERED", "2"));
        Path out = dir.resolve(name);
        String[] args = new String[runArgs.length + 4];
        args[0] = "run";
        args[1] = scenario.toString();
        args[2] = "--report";
        args[3] = out.toString();
        System.arraycopy(runArgs, 0, args, 4, runArgs.length);
        Cli r = Cli.run(args);
        assertEquals(ExitCode.OK, r.code(), r.err());
        return out;
    }

    @Test
    void sameReportsDoNotDiffer() throws Exception {
        Path a = report("a.json");
        Path b = report("b.json");
        Cli r = Cli.run("diff", a.toString(), b.toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("0 of "), r.out());
        assertFalse(r.out().lines().anyMatch(l -> l.endsWith("*")), r.out());
        for (String section : new String[] {"run", "counters", "deliveries", "exits", "metrics"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.equals(section)), section + " missing in\n" + r.out());
        }
        assertTrue(r.out().contains("vcpu0.delivered.0x22"), r.out());
        assertTrue(r.out().contains("latency.notify_to_irq.p99"), r.out());
    }

    @Test
    void aSlowerWakeUpIsMarkedAndExitsOne() throws Exception {
        Path a = report("a.json");
        Path profile = Files.writeString(dir.resolve("slow.yaml"), "vhost.wakeup: 20us\n");
        Path b = report("b.json", "--costs", profile.toString());
        Cli r = Cli.run("diff", a.toString(), b.toString(), "--only-differences");
        assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
        String p99 = r.out().lines().filter(l -> l.contains("latency.notify_to_irq.p99 ")).findFirst().orElseThrow();
        assertTrue(p99.endsWith("*"), p99);
        assertTrue(p99.contains("+"), p99);
        // the deliveries did not change, so --only-differences leaves them out
        assertFalse(r.out().contains("vcpu0.delivered.0x22"), r.out());
    }

    @Test
    void aLargeToleranceAcceptsTheDifference() throws Exception {
        Path a = report("a.json");
        Path profile = Files.writeString(dir.resolve("slow.yaml"), "vhost.wakeup: 20us\n");
        Path b = report("b.json", "--costs", profile.toString());
        Cli strict = Cli.run("diff", a.toString(), b.toString());
        Cli loose = Cli.run("diff", a.toString(), b.toString(), "--tolerance", "100000%");
        assertEquals(ExitCode.FAILED, strict.code(), strict.out());
        assertEquals(ExitCode.OK, loose.code(), loose.out());
        assertFalse(loose.out().lines().anyMatch(l -> l.endsWith("*")), loose.out());
    }

    @Test
    void aValueMissingFromOneReportIsADifference() throws Exception {
        Path a = report("a.json");
        String text = Files.readString(a).replace("\"kick0\"", "\"kick9\"");
        Path b = Files.writeString(dir.resolve("b.json"), text);
        Cli r = Cli.run("diff", a.toString(), b.toString(), "--tolerance", "100%");
        assertEquals(ExitCode.FAILED, r.code(), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("eventfd.kick9.counter") && l.contains("added") && l.endsWith("*")), r.out());
    }

    @Test
    void invalidInputExitsTwoWithAClearMessage() throws Exception {
        Path a = report("a.json");
        Path notJson = Files.writeString(dir.resolve("x.json"), "{\"scenario\": ");
        Path notReport = Files.writeString(dir.resolve("y.json"), "{\"scenario\": \"x\"}");
        Cli missing = Cli.run("diff", a.toString(), dir.resolve("nope.json").toString());
        Cli broken = Cli.run("diff", a.toString(), notJson.toString());
        Cli other = Cli.run("diff", notReport.toString(), a.toString());
        Cli tol = Cli.run("diff", a.toString(), a.toString(), "--tolerance", "lots");
        assertEquals(ExitCode.INVALID, missing.code());
        assertTrue(missing.err().contains("nope.json: no such file"), missing.err());
        assertEquals(ExitCode.INVALID, broken.code());
        assertTrue(broken.err().contains("x.json:1:") && broken.err().contains("not JSON"), broken.err());
        assertEquals(ExitCode.INVALID, other.code());
        assertTrue(other.err().contains("y.json: not a kvmsim report: 'simulated_ns' is missing"), other.err());
        assertEquals(ExitCode.INVALID, tol.code());
        assertTrue(tol.err().contains("--tolerance 'lots'"), tol.err());
        for (Cli c : new Cli[] {missing, broken, other, tol}) {
            assertFalse(c.err().contains("\tat "), c.err());
        }
    }
}
