package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kvmsim sweep}: CSV rows and columns, determinism across thread counts, the page, bad input. */
class SweepCommandTest {
    @TempDir
    Path dir;

    private Path scenario() throws Exception {
        String text = CommandsTest.NOTIFY.replace("DELIVERED", "2").replace("service: 3us", "service: exp(3us)");
        return Files.writeString(dir.resolve("tiny.yaml"), text);
    }

    private Cli sweep(String name, int jobs, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", scenario().toString(),
                "--param", "vm.costs.vhost.wakeup=1us..5us step 2us", "--param", "threads[vhost-net].service=exp(2us),uniform(1us,3us)",
                "--runs", "3", "--jobs", Integer.toString(jobs),
                "--csv", dir.resolve(name + ".csv").toString(), "--html", dir.resolve(name + ".html").toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void writesOneRowPerRunWithTheParametersAndEveryReportColumn() throws Exception {
        Cli r = sweep("a", 2);
        assertEquals(ExitCode.OK, r.code(), r.out() + r.err());
        List<String> lines = Files.readAllLines(dir.resolve("a.csv"));
        assertEquals(1 + 3 * 2 * 3, lines.size());
        String header = lines.get(0);
        assertTrue(header.startsWith("run,point,repeat,seed,vm.costs.vhost.wakeup,threads[vhost-net].service,simulated_ns,events,passed,"), header);
        assertTrue(header.contains(",eventfd.kick0.signals,") && header.contains(",vcpu0.delivered.0x22,")
                && header.contains(",vcpu0.exits.EPT_MISCONFIG,") && header.contains(",latency.notify_to_irq.p99,"), header);
        assertTrue(lines.get(1).startsWith("0,0,0,1,1us,exp(2us),"), lines.get(1));
        assertTrue(lines.get(18).startsWith("17,5,2,"), lines.get(18));
        assertTrue(lines.get(18).contains(",5us,\"uniform(1us,3us)\","), lines.get(18));
        int columns = header.split(",").length;
        assertTrue(lines.stream().allMatch(l -> l.replaceAll("\"[^\"]*\"", "q").split(",", -1).length == columns));
        assertTrue(r.out().contains("6 point(s) x 3 run(s) = 18 runs"), r.out());
    }

    @Test
    void theOutputDoesNotDependOnTheNumberOfThreads() throws Exception {
        Cli one = sweep("one", 1);
        Cli four = sweep("four", 4);
        assertEquals(ExitCode.OK, one.code(), one.err());
        assertEquals(Files.readString(dir.resolve("one.csv")), Files.readString(dir.resolve("four.csv")));
        assertEquals(Files.readString(dir.resolve("one.html")), Files.readString(dir.resolve("four.html")));
        assertEquals(one.out().replace("one.", "four."), four.out());
    }

    @Test
    void aSlowerWakeUpRaisesTheLatency() throws Exception {
        Cli r = sweep("m", 2, "--metric", "latency.notify_to_irq.mean");
        assertEquals(ExitCode.OK, r.code(), r.err());
        List<String> lines = Files.readAllLines(dir.resolve("m.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int wake = header.indexOf("vm.costs.vhost.wakeup");
        int mean = header.indexOf("latency.notify_to_irq.mean");
        double at1 = lines.stream().skip(1).filter(l -> l.split(",")[wake].equals("1us")).mapToLong(l -> Long.parseLong(l.split(",")[mean])).average().orElseThrow();
        double at5 = lines.stream().skip(1).filter(l -> l.split(",")[wake].equals("5us")).mapToLong(l -> Long.parseLong(l.split(",")[mean])).average().orElseThrow();
        assertTrue(at5 > at1 + 3000, at1 + " vs " + at5);
    }

    @Test
    void thePageIsSelfContainedWithAPlotPerMetricAndParameter() throws Exception {
        sweep("p", 2);
        String html = Files.readString(dir.resolve("p.html"));
        assertEquals(4, html.split("<svg ", -1).length - 1, "2 default metrics x 2 parameters");
        assertFalse(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http"), "no network references");
        assertFalse(html.contains("<script"), html);
        assertTrue(html.contains("latency.notify_to_irq.p99") && html.contains("<polyline"), html);
    }

    @Test
    void badInputExitsTwoBeforeRunning() throws Exception {
        Path s = scenario();
        Cli badParam = Cli.run("sweep", s.toString(), "--param", "vm.vcpus");
        Cli badPoint = Cli.run("sweep", s.toString(), "--param", "vm.vcpus=1,0", "--csv", dir.resolve("x.csv").toString());
        Cli badMetric = Cli.run("sweep", s.toString(), "--metric", "latency.nope.p99", "--csv", dir.resolve("y.csv").toString(),
                "--html", dir.resolve("y.html").toString());
        Cli badRuns = Cli.run("sweep", s.toString(), "--runs", "0");
        assertEquals(ExitCode.INVALID, badParam.code());
        assertTrue(badParam.err().contains("expected PATH=V1,V2"), badParam.err());
        assertEquals(ExitCode.INVALID, badPoint.code());
        assertTrue(badPoint.err().contains("grid point 1 [vm.vcpus=0] does not load") && badPoint.err().contains("vm.vcpus"), badPoint.err());
        assertFalse(Files.exists(dir.resolve("x.csv")));
        assertEquals(ExitCode.INVALID, badMetric.code());
        assertTrue(badMetric.err().contains("--metric latency.nope.p99"), badMetric.err());
        assertEquals(ExitCode.INVALID, badRuns.code());
    }
}
