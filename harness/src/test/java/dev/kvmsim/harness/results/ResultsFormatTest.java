package dev.kvmsim.harness.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsFormatTest {
    static final String SAMPLE = """
            # kvmsim harness results
            kvmsim-results 1
            scenario irqfd-resample-level-intx
            info host Linux 6.18 kvm_pvm
            step 0 irqfd ok
            step 1 eventfd_write ok
            step 2 eventfd_read blocked
            completion 2 {value: 1}
            check 3 eventfd rs counter = 1
            check 3 vcpu 0 delivered (vector 0x31) = 1
            write 0 0 kernel 3 userspace 0
            eventfd intx counter 0
            eventfd rs closed
            vcpu 0 vector 0x31 delivered 2
            userspace_exit mmio 0xfe003000 4 0x1 count 2
            timing pio.ioeventfd 812
            end
            kvmsim-results 1
            scenario second
            step 0 ioeventfd {errno: ENOSPC, after: 998}
            """;

    @Test
    void parsesEverySectionAndRecord() throws Exception {
        List<RunResults> runs = ResultsFormat.parse("r.txt", SAMPLE);
        assertEquals(2, runs.size());
        RunResults r = runs.get(0);
        assertEquals("irqfd-resample-level-intx", r.scenario());
        assertTrue(r.complete());
        assertEquals("eventfd_read blocked", r.outcomes().get("step 2").value());
        assertEquals(5, r.outcomes().get("step 0").line());
        assertEquals("{value: 1}", r.outcomes().get("completion 2").value());
        assertEquals("1", r.outcomes().get("check 3 vcpu 0 delivered (vector 0x31)").value());
        assertEquals("kernel 3 userspace 0", r.outcomes().get("write 0 0").value());
        assertEquals("closed", r.outcomes().get("eventfd rs").value());
        assertEquals("2", r.outcomes().get("vcpu 0 vector 0x31 delivered").value());
        assertEquals("count 2", r.outcomes().get("userspace_exit mmio 0xfe003000 4 0x1").value());
        assertEquals(812L, r.timings().get("pio.ioeventfd"));
        assertFalse(runs.get(1).complete(), "a section without 'end' is incomplete");
        assertEquals("ioeventfd {errno: ENOSPC, after: 998}", runs.get(1).outcomes().get("step 0").value());
    }

    @Test
    void renderedResultsParseBackToTheSameOutcomes() throws Exception {
        RunResults r = ResultsFormat.parse("r.txt", SAMPLE).get(0);
        RunResults again = ResultsFormat.parse("again.txt", r.render()).get(0);
        assertEquals(r.list().stream().map(Outcome::render).toList(), again.list().stream().map(Outcome::render).toList());
        assertEquals(r.timings(), again.timings());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no header|step 0 irqfd ok|r.txt:1: expected 'kvmsim-results 1' before any record, got 'step 0 irqfd ok'",
            "unknown version|kvmsim-results 2|r.txt:1: unsupported results format 'kvmsim-results 2' (expected 'kvmsim-results 1')",
            "missing scenario|kvmsim-results 1\\nstep 0 irqfd ok|r.txt:2: expected 'scenario NAME' right after 'kvmsim-results 1', got 'step 0 irqfd ok'",
            "bad name|kvmsim-results 1\\nscenario Bad_Name|r.txt:2: bad scenario name 'Bad_Name': expected [a-z0-9-]+",
            "unknown record|kvmsim-results 1\\nscenario a\\nvector 0 1|r.txt:3: unknown record 'vector' (expected step, completion, check, write, eventfd, vcpu, userspace_exit, error, timing, info or end)",
            "step without result|kvmsim-results 1\\nscenario a\\nstep 0 irqfd|r.txt:3: malformed record 'step 0 irqfd': expected 'step INDEX ACTION RESULT'",
            "check without value|kvmsim-results 1\\nscenario a\\ncheck 1 eventfd e counter|r.txt:3: malformed record 'check 1 eventfd e counter': expected 'check INDEX WHAT = VALUE'",
            "negative count|kvmsim-results 1\\nscenario a\\nvcpu 0 vector 0x22 delivered -1|r.txt:3: malformed record 'vcpu 0 vector 0x22 delivered -1': expected 'vcpu N vector 0xVV delivered N'",
            "count too large|kvmsim-results 1\\nscenario a\\neventfd e counter 18446744073709551616|r.txt:3: number out of range (unsigned 64-bit): 18446744073709551616",
            "duplicate|kvmsim-results 1\\nscenario a\\nstep 0 irqfd ok\\nstep 0 irqfd EBADF|r.txt:4: 'step 0' again (first on line 3)",
            "after end|kvmsim-results 1\\nscenario a\\nend\\nstep 0 irqfd ok|r.txt:4: 'step' after 'end' (a new section starts with 'kvmsim-results 1')",
            "empty file|# nothing|r.txt:1: no results: expected a 'kvmsim-results 1' section",
    })
    void malformedFileIsAnErrorNamingFileAndLine(String what, String text, String message) {
        ResultsFormatException e = assertThrows(ResultsFormatException.class, () -> ResultsFormat.parse("r.txt", text.replace("\\n", "\n")));
        assertEquals(message, e.getMessage());
    }
}
