package dev.kvmsim.scenarios;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's examples (examples/ at the repository root) do what the README shows. */
class ExamplesTest {
    private static Report run(String file) {
        Path p = Path.of("..", "examples", file);
        if (!Files.exists(p)) {
            p = Path.of("examples", file);
        }
        return ScenarioRunner.run(ScenarioLoader.load(p.toString()).orThrow());
    }

    @Test
    void doorbell_passesItsExpectations() {
        Report r = run("doorbell.yaml");
        assertTrue(r.passed(), () -> Summary.text(r));
    }

    /** The MSI aimed at APIC ID 0 (kvm_msi_to_lapic_irq dest_id = address bits 19:12) reaches vCPU 0. */
    @Test
    void misroutedDoorbell_failsExactlyTheDeliveryExpectations() {
        Report r = run("doorbell-misrouted.yaml");
        assertFalse(r.passed());
        List<String> failed = r.expectations().stream().filter(e -> !e.passed()).map(Report.ExpectationResult::description).toList();
        assertEquals(3, failed.size(), failed::toString);
    }
}
