package dev.kvmsim.scenarios;

import dev.kvmsim.kvm.cost.Cost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The default cost model reproduces the published pci-testdev round trips (docs/costs.md: QEMU
 * pci-testdev 2013, kvm-unit-tests vmexit.c) end to end through the vCPU model: the six cases
 * of the pci-testdev-costs library scenario, exit to re-entry plus the hardware entry.
 */
class PciTestdevCostsTest {
    private static final double GHZ = 2.5;
    private static Report report;

    @BeforeAll
    static void run() {
        report = ScenarioRunner.run(ScenarioLibrary.load("pci-testdev-costs").orThrow());
    }

    /** Round trip of vCPU {@code v}'s case in cycles: from the exit until the guest runs again. */
    private static long cycles(int vcpu, String reason) {
        Report.LatencyStats s = report.latencies().get("exit_to_entry.vcpu" + vcpu + "." + reason);
        return Math.round(s.p50() * GHZ);
    }

    @Test
    void absorbedWrites_costThePublishedCycles() {
        // pci-testdev 2013: mmio-wildcard 3,609, mmio-datamatch 3,685, portio-wildcard 1,762, portio-datamatch 1,777
        assertEquals(3_609, cycles(1, "EPT_MISCONFIG"), 3);
        assertEquals(3_609 + Cost.IOEVENTFD_DATAMATCH.cycles(), cycles(2, "EPT_MISCONFIG"), 3);
        assertEquals(1_762, cycles(4, "IO_INSTRUCTION"), 3);
        assertEquals(1_777, cycles(5, "IO_INSTRUCTION"), 3);
    }

    @Test
    void userspaceExits_costThePublishedCycles() {
        // pci-testdev 2013: mmio-no-eventfd 8,796, portio-no-eventfd 5,287
        assertEquals(8_796, cycles(0, "EPT_MISCONFIG"), 3);
        assertEquals(5_287, cycles(3, "IO_INSTRUCTION"), 3);
    }
}
