package dev.kvmsim.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.ReportWriter;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.ScenarioLibrary;
import dev.kvmsim.scenarios.ScenarioRunner;
import dev.kvmsim.scenarios.model.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** A hand-driven clock: the test sets the "wall" time; nothing depends on real time. */
    private long wall;

    @Test
    void shouldStayQuietForShortRunsAndRefreshAtMostFourTimesASecond() {
        StringWriter err = new StringWriter();
        Progress p = new Progress(new PrintWriter(err, true), () -> wall);
        wall = 100_000_000L; // 0.1 s: a short run prints nothing
        p.progress(4_096, 4_096);
        assertFalse(p.printed());
        wall = 1_000_000_000L; // 1 s
        p.progress(1_004_095, 8_192);
        assertTrue(p.printed());
        assertTrue(err.toString().startsWith("\rkvmsim: simulated 1.004095ms, 8,192 events, 8,192 events/s"), err.toString());
        int lines = err.toString().split("\r").length;
        wall += Progress.PERIOD_NS / 2; // too soon for another refresh
        p.progress(2_000_000, 12_288);
        assertEquals(lines, err.toString().split("\r").length);
        p.finish();
        assertTrue(err.toString().endsWith("\r"));
    }

    @Test
    void shouldBeToldEveryFourThousandEventsWithoutChangingTheRun() {
        Scenario s = ScenarioLibrary.load("virtio-net-notify").orThrow();
        List<Long> calls = new ArrayList<>();
        Report watched = ScenarioRunner.run(s, RunOptions.defaults().withProgress((ns, events) -> calls.add(events)));
        Report plain = ScenarioRunner.run(s);
        assertEquals(ReportWriter.json(plain), ReportWriter.json(watched));
        assertEquals(plain.events() / RunOptions.ProgressListener.EVERY_EVENTS, calls.size());
        assertEquals(RunOptions.ProgressListener.EVERY_EVENTS, calls.get(0));
    }
}
