package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvmsim.cli.junit.JUnitXmlTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command in-process, with each exit code. */
class CommandsTest {
    @TempDir
    Path dir;

    /** A write to a doorbell absorbed by an ioeventfd; vhost answers through an irqfd with an MSI. */
    static final String NOTIFY = """
            version: 1
            name: tiny-notify
            description: one doorbell write, one interrupt
            vm: {vcpus: 1}
            eventfds:
              - name: kick0
              - name: call0
            host:
              - ioeventfd: {eventfd: kick0, bus: mmio, addr: 0xfe003000, len: 4}
                expect: ok
              - gsi_routing:
                  - {gsi: 24, msi: {address: 0xfee00000, data: 0x22}}
                expect: ok
              - irqfd: {eventfd: call0, gsi: 24}
                expect: ok
            threads:
              - name: vhost-net
                kind: vhost
                wait: kick0
                service: 3us
                signal: call0
            guest:
              - vcpu: 0
                program:
                  - repeat: 2
                    do:
                      - mmio_write: {addr: 0xfe003000, len: 4, value: 1}
                        expect: kernel
                      - wait_irq: {vector: 0x22, timeout: 1ms}
            expect:
              - vcpu: 0
                vector: 0x22
                delivered: DELIVERED
            """;

    private Path scenario(int delivered) throws Exception {
        return Files.writeString(dir.resolve("tiny-" + delivered + ".yaml"), NOTIFY.replace("DELIVERED", Integer.toString(delivered)));
    }

    @Test
    void run_passesAndWritesReport() throws Exception {
        Path report = dir.resolve("out/report.json");
        Cli r = Cli.run("run", scenario(2).toString(), "--report", report.toString());
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS"), r.out());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("tiny-notify", json.get("scenario").asText());
    }

    @Test
    void run_failedExpectationExitsOne() throws Exception {
        Cli r = Cli.run("run", scenario(3).toString());
        assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("expected == 3, actual 2"), r.out());
    }

    @Test
    void run_badSeedAndBadUntilAreInvalidInput() throws Exception {
        Path s = scenario(2);
        Cli seed = Cli.run("run", s.toString(), "--seed", "-4");
        assertEquals(ExitCode.INVALID, seed.code());
        assertTrue(seed.err().startsWith("kvmsim: --seed '-4'"), seed.err());
        Cli until = Cli.run("run", s.toString(), "--until", "10 parsecs");
        assertEquals(ExitCode.INVALID, until.code());
        assertEquals(1, until.err().lines().count(), until.err());
    }

    @Test
    void run_costProfileWithUnknownNameIsInvalid() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "costs:\n  vhost.wakup: 3us\n");
        Cli r = Cli.run("run", scenario(2).toString(), "--costs", profile.toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("unknown cost 'vhost.wakup'"), r.err());
    }

    @Test
    void run_costProfileChangesTheRun() throws Exception {
        Path profile = Files.writeString(dir.resolve("p.yaml"), "vhost.wakeup: 1ms\n");
        Cli slow = Cli.run("run", scenario(2).toString(), "--costs", profile.toString());
        Cli normal = Cli.run("run", scenario(2).toString());
        assertEquals(ExitCode.OK, slow.code(), slow.err());
        assertFalse(slow.out().equals(normal.out()), "a 1ms wake-up must change the simulated time");
    }

    @Test
    void run_missingFileIsInvalidInputWithoutStackTrace() {
        Cli r = Cli.run("run", dir.resolve("missing.yaml").toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void run_debugPrintsTheStackTrace() {
        Cli r = Cli.run("--debug", "run", dir.resolve("missing.yaml").toString());
        assertEquals(ExitCode.INVALID, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void run_chromeTraceHasTracksAndFlows() throws Exception {
        Path trace = dir.resolve("t.json");
        Cli r = Cli.run("run", scenario(2).toString(), "--trace", "chrome", "--trace-out", trace.toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertFalse(Files.exists(dir.resolve("t.json.tmp")));
        JsonNode root = new ObjectMapper().readTree(trace.toFile());
        Set<String> tracks = new HashSet<>();
        Set<String> phases = new HashSet<>();
        for (JsonNode e : root.get("traceEvents")) {
            phases.add(e.get("ph").asText());
            if (e.get("name").asText().equals("thread_name")) {
                tracks.add(e.get("args").get("name").asText());
            }
        }
        assertTrue(tracks.contains("vcpu0") && tracks.contains("vhost-net"), tracks.toString());
        assertTrue(phases.containsAll(Set.of("M", "X", "s", "f")), phases.toString());
    }

    @Test
    void run_jsonlTraceInferredFromExtension() throws Exception {
        Path trace = dir.resolve("t.jsonl");
        Cli r = Cli.run("run", scenario(2).toString(), "--trace-out", trace.toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(trace)) {
            assertTrue(m.readTree(line).has("time_ns"));
        }
    }

    @Test
    void check_allPassingExitsZero() throws Exception {
        Cli r = Cli.run("check", scenario(2).toString(), "virtio-net-notify");
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("PASS ")).count(), r.out());
    }

    @Test
    void check_printsFailuresAndWritesValidJUnit() throws Exception {
        Path junit = dir.resolve("junit.xml");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "version: 1\nname: bad\nvmm: {}\n");
        Cli r = Cli.run("check", scenario(2).toString(), scenario(3).toString(), "--junit", junit.toString());
        assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS "), r.out());
        assertTrue(r.out().contains("FAIL "), r.out());
        assertTrue(r.out().contains("expected == 3, actual 2"), r.out());
        JUnitXmlTest.validate(Files.readAllBytes(junit));
        String xml = Files.readString(junit);
        assertTrue(xml.contains("classname=\"tiny-notify\""), xml);
        assertTrue(xml.contains("<failure message=\"expected == 3, actual 2\""), xml);

        Cli withBad = Cli.run("check", scenario(2).toString(), bad.toString(), "--junit", junit.toString());
        assertEquals(ExitCode.INVALID, withBad.code());
        JUnitXmlTest.validate(Files.readAllBytes(junit));
    }

    @Test
    void stat_printsPerfKvmStatTable() throws Exception {
        Cli r = Cli.run("stat", scenario(2).toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(r.out().contains("VM-EXIT    Samples  Samples%     Time%"), r.out());
        assertTrue(r.out().contains("EPT_MISCONFIG"), r.out());
        assertTrue(r.out().contains("Total Samples:"), r.out());
        Cli mmio = Cli.run("stat", scenario(2).toString(), "--event", "mmio");
        assertTrue(mmio.out().contains("0xfe003000:W"), mmio.out());
        assertEquals(ExitCode.INVALID, Cli.run("stat", scenario(2).toString(), "--event", "irq").code());
    }

    @Test
    void explain_narratesAndDraws() throws Exception {
        Cli r = Cli.run("explain", scenario(2).toString());
        assertEquals(ExitCode.OK, r.code(), r.err());
        assertTrue(r.out().contains("Notification 1 of 1"), r.out());
        assertTrue(r.out().contains("eventfd_signal"), r.out());
        Cli d = Cli.run("explain", scenario(2).toString(), "--diagram", "mermaid");
        assertEquals(ExitCode.OK, d.code(), d.err());
        assertTrue(d.out().startsWith("```mermaid\nsequenceDiagram\n"), d.out());
        assertEquals(ExitCode.INVALID, Cli.run("explain", scenario(2).toString(), "--diagram", "dot").code());
        assertEquals(ExitCode.INVALID, Cli.run("explain", scenario(2).toString(), "--steps", "0").code());
    }
}
