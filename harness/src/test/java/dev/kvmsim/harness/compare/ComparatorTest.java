package dev.kvmsim.harness.compare;

import dev.kvmsim.harness.results.ResultsFormat;
import dev.kvmsim.harness.results.RunResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every kind of difference the comparator reports, and what it leaves out (timing, unreadable counters). */
class ComparatorTest {
    private static final String MODEL = """
            step 0 irqfd ok
            step 1 eventfd_read blocked
            completion 1 {value: 5}
            check 2 eventfd rs counter = 1
            write 0 0 kernel 10 userspace 0
            eventfd intx counter 0
            eventfd gone closed
            vcpu 0 vector 0x31 delivered 2
            userspace_exit io 0x510 2 0x0 count 1
            """;

    private static RunResults parse(String body, boolean end) throws Exception {
        return ResultsFormat.parse("r.txt", "kvmsim-results 1\nscenario s\n" + body + (end ? "end\n" : "")).get(0);
    }

    private static List<String> diff(String kernelBody) throws Exception {
        return Comparator.compare(parse(MODEL, true), parse(kernelBody, true)).stream().map(Difference::render).toList();
    }

    @Test
    void identicalOutcomesAgree() throws Exception {
        assertEquals(List.of(), diff(MODEL));
    }

    @Test
    void timingLinesAndInfoAreNeverCompared() throws Exception {
        assertEquals(List.of(), diff(MODEL + "timing pio.ioeventfd 900\ninfo host kvm_pvm\n"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "step result|step 0 irqfd ok|step 0 irqfd EINVAL|step 0: model irqfd ok, kernel irqfd EINVAL  (results line 3)",
            "step missing|step 0 irqfd ok|# left out|step 0: model irqfd ok, kernel (none)",
            "completion|completion 1 {value: 5}|completion 1 still-blocked|completion 1: model {value: 5}, kernel still-blocked  (results line 5)",
            "check value|check 2 eventfd rs counter = 1|check 2 eventfd rs counter = 0|check 2 eventfd rs counter: model 1, kernel 0  (results line 6)",
            "write counts|write 0 0 kernel 10 userspace 0|write 0 0 kernel 9 userspace 1|write 0 0: model kernel 10 userspace 0, kernel kernel 9 userspace 1  (results line 7)",
            "eventfd counter|eventfd intx counter 0|eventfd intx counter 1|eventfd intx: model counter 0, kernel counter 1  (results line 8)",
            "vector count|vcpu 0 vector 0x31 delivered 2|vcpu 0 vector 0x31 delivered 1|vcpu 0 vector 0x31 delivered: model 2, kernel 1  (results line 10)",
            "vector absent is 0|vcpu 0 vector 0x31 delivered 2|# none taken|vcpu 0 vector 0x31 delivered: model 2, kernel 0",
            "userspace exit count|userspace_exit io 0x510 2 0x0 count 1|userspace_exit io 0x510 2 0x0 count 3|userspace_exit io 0x510 2 0x0: model count 1, kernel count 3  (results line 11)",
    })
    void eachKindOfDifferenceIsReported(String what, String modelLine, String kernelLine, String expected) throws Exception {
        assertEquals(List.of(expected), diff(MODEL.replace(modelLine, kernelLine)));
    }

    @Test
    void outcomesOnlyTheKernelHasAreDifferences() throws Exception {
        assertEquals(List.of("vcpu 1 vector 0x22 delivered: model 0, kernel 1  (results line 12)",
                        "userspace_exit mmio 0xfe003000 4 0x1: model count 0, kernel count 2  (results line 13)"),
                diff(MODEL + "vcpu 1 vector 0x22 delivered 1\nuserspace_exit mmio 0xfe003000 4 0x1 count 2\n"));
    }

    @Test
    void harnessErrorsAndAnUnfinishedRunAreDifferences() throws Exception {
        List<String> d = Comparator.compare(parse(MODEL, true), parse(MODEL + "error vcpu 0: KVM_EXIT_INTERNAL_ERROR suberror 1\n", false))
                .stream().map(Difference::render).toList();
        assertEquals(List.of("harness error: vcpu 0: KVM_EXIT_INTERNAL_ERROR suberror 1  (results line 12)",
                "end: model end of run, kernel the results end before 'end' (the harness did not finish)"), d);
    }

    @Test
    void closedEventfdsAreNotCompared() throws Exception {
        // the model reads a closed eventfd's counter; the kernel run cannot: 'closed' on either side skips it
        assertEquals(List.of(), diff(MODEL.replace("eventfd intx counter 0", "eventfd intx closed")
                .replace("check 2 eventfd rs counter = 1", "check 2 eventfd rs counter = closed")));
    }
}
