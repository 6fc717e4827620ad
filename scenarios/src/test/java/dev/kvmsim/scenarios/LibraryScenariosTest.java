package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.RouteEntry;
import dev.kvmsim.scenarios.model.Scenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every built-in scenario passes its own expectations, deterministically; a mutated one fails. */
class LibraryScenariosTest {

    static List<String> names() {
        return ScenarioLibrary.names();
    }

    @ParameterizedTest
    @MethodSource("names")
    void libraryScenario_passesItsExpectations(String name) {
        Report r = ScenarioRunner.run(ScenarioLibrary.load(name).orThrow());
        assertTrue(r.passed(), () -> Summary.text(r));
        assertTrue(r.unexpectedStepErrors().isEmpty(), () -> Summary.text(r));
    }

    @Test
    void sameScenarioAndSeed_giveByteIdenticalReports() {
        Scenario s = ScenarioLibrary.load("msix-multiqueue").orThrow();
        String a = ReportWriter.json(ScenarioRunner.run(s));
        String b = ReportWriter.json(ScenarioRunner.run(s));
        assertEquals(a, b);
        String c = ReportWriter.json(ScenarioRunner.run(s, RunOptions.defaults().withSeed(2)));
        assertNotEquals(a, c, "another seed draws other costs");
    }

    /**
     * Mutation check: point the mid-run route of reroute-midrun back at APIC ID 0 and the
     * expectations that vCPU 1 took the last five interrupts must fail (docs/kernel-model.md#irqfd:
     * kvm_irq_routing_update re-caches the irqfd's route, so the routing entry decides).
     */
    @Test
    void changingOneRoutingEntry_failsTheExpectations() {
        Scenario s = ScenarioLibrary.load("reroute-midrun").orThrow();
        List<HostStep> host = new ArrayList<>();
        int routes = 0;
        for (HostStep h : s.host()) {
            if (h instanceof HostStep.GsiRouting g && routes++ == 1) {
                RouteEntry.Msi m = (RouteEntry.Msi) g.entries().get(0);
                host.add(new HostStep.GsiRouting(g.meta(), List.of(m.withAddress(0xfee00000L))));
            } else {
                host.add(h);
            }
        }
        assertEquals(2, routes);
        Report r = ScenarioRunner.run(s.withHost(host));
        assertFalse(r.passed());
        assertTrue(r.failures().stream().anyMatch(f -> f.description().contains("vcpu 1 delivered") && f.actual().equals("0")), () -> Summary.text(r));
        assertTrue(r.failures().stream().anyMatch(f -> f.description().contains("vcpu 0 delivered") && f.actual().equals("10")), () -> Summary.text(r));
    }
}
