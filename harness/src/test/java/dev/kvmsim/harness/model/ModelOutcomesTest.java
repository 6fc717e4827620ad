package dev.kvmsim.harness.model;

import dev.kvmsim.harness.Scenarios;
import dev.kvmsim.harness.results.Outcome;
import dev.kvmsim.harness.results.RunResults;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ModelOutcomesTest {

    @Test
    void resamplingIrqfdOutcomesComeFromTheModelRun() {
        // conformance/irqfd-resample-level-intx: virt/kvm/eventfd.c irqfd_resampler_ack signals the
        // resamplefd once per EOI; both assertions are delivered; the irqfd consumes its counter
        RunResults r = ModelOutcomes.of(Scenarios.conformance("irqfd-resample-level-intx"));
        assertEquals("""
                kvmsim-results 1
                scenario irqfd-resample-level-intx
                step 0 irqfd ok
                step 1 eventfd_write ok
                step 3 eventfd_write ok
                check 2 eventfd rs counter = 1
                eventfd intx counter 0
                eventfd rs counter 2
                vcpu 0 vector 0x31 delivered 2
                end
                """, r.render());
    }

    @Test
    void blockedReadCompletionAndPerWriteCounts() {
        // fs/eventfd.c eventfd_read: the blocked read takes the 5 written at 10us
        RunResults r = ModelOutcomes.of(Scenarios.conformance("eventfd-read-empty-blocks-until-write"));
        assertEquals("eventfd_read blocked", r.outcomes().get("step 0").value());
        assertEquals("{value: 5}", r.outcomes().get("completion 0").value());
        // arch/x86/kvm/x86.c emulator_read_write: a page-crossing store is one execution that exits (once per execution)
        RunResults w = ModelOutcomes.of(Scenarios.conformance("mmio-write-crossing-page-half-absorbed"));
        assertEquals("kernel 0 userspace 1", w.outcomes().get("write 0 0").value());
        assertEquals("kernel 0 userspace 1", w.outcomes().get("write 0 1").value());
        assertEquals("count 1", w.outcomes().get("userspace_exit mmio 0xfe006000 4 0x88776655").value());
    }

    /** The harness prints check keys from {@link CheckKeys}; they must be the runner's own descriptions. */
    @TestFactory
    Stream<DynamicTest> checkKeysAreTheRunnersDescriptions() {
        return Scenarios.all().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            Scenario s = Scenarios.load(p);
            List<String> ours = new ArrayList<>();
            for (HostStep h : s.host()) {
                if (h instanceof HostStep.Check c) {
                    for (var e : c.expectations()) {
                        for (CheckKeys.Key k : CheckKeys.keys(e)) {
                            ours.add("check " + c.meta().index() + " " + k.what());
                        }
                    }
                }
            }
            List<String> model = ModelOutcomes.checks(ModelOutcomes.of(s)).stream().map(Outcome::key).toList();
            assertEquals(ours, model);
        }));
    }
}
