package dev.kvmsim.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.cli.FakeEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    /** A hand-driven clock: the test sets the "wall" time; nothing depends on real time. */
    private long wall;

    private void feed(Progress p, int events, long simStart) {
        for (int i = 0; i < events; i++) {
            p.accept(FakeEvent.tp(simStart + i, "vcpu0", 0, "kvm_exit", "", ""));
        }
    }

    @Test
    void shouldStayQuietForShortRunsAndRefreshAtMostFourTimesASecond() {
        StringWriter err = new StringWriter();
        List<String> forwarded = new ArrayList<>();
        Progress p = new Progress(new PrintWriter(err, true), e -> forwarded.add(e.event()), () -> wall);
        wall = 100_000_000L; // 0.1 s: a short run prints nothing
        feed(p, Progress.CHECK_EVERY, 0);
        assertFalse(p.printed());
        wall = 1_000_000_000L; // 1 s
        feed(p, Progress.CHECK_EVERY, 1_000_000);
        assertTrue(p.printed());
        assertTrue(err.toString().startsWith("\rkvmsim: simulated 1.004095ms, 8,192 trace events, 8,192 events/s"), err.toString());
        int lines = err.toString().split("\r").length;
        wall += Progress.PERIOD_NS / 2; // too soon for another refresh
        feed(p, Progress.CHECK_EVERY, 2_000_000);
        assertEquals(lines, err.toString().split("\r").length);
        assertEquals(3 * Progress.CHECK_EVERY, forwarded.size(), "every event reaches the wrapped sink");
        p.finish();
        assertTrue(err.toString().endsWith("\r"));
    }
}
