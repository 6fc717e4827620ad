package dev.kvmsim.kvm.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cost model: defaults from docs/costs.md, overrides by stable name. */
class CostModelTest {
    private final SplittableRandom r = new SplittableRandom(1);

    @Test
    void defaults_convertCyclesAtTwoAndAHalfGigahertz() {
        CostModel m = CostModel.defaults();
        assertEquals(285, m.draw(Cost.EXIT_PIO, r)); // 712 cycles
        assertEquals(1_470, m.draw(Cost.USERSPACE_PIO, r)); // 3,675 cycles
        assertEquals(2_135, m.draw("userspace.mmio", r)); // 5,337 cycles
    }

    @Test
    void defaults_atAnotherClockKeepTheCycleFigures() {
        CostModel m = CostModel.defaults(1.0);
        assertEquals(712, m.draw(Cost.EXIT_PIO, r));
        assertThrows(IllegalArgumentException.class, () -> CostModel.defaults(0));
    }

    @Test
    void publishedRoundTrips_addUp() {
        // pci-testdev 2013: portio-no-eventfd 5,287; mmio-wildcard-eventfd 3,609; mmio-no-eventfd 8,796
        long exitEntry = Cost.VMX_EXIT.cycles() + Cost.VMX_ENTRY.cycles();
        long pioEventfd = exitEntry + Cost.EXIT_PIO.cycles() + Cost.EVENTFD_SIGNAL.cycles();
        assertEquals(1_050, exitEntry + Cost.EXIT_CPUID.cycles()); // the cpuid round trip
        assertEquals(1_762, pioEventfd);
        assertEquals(5_287, pioEventfd - Cost.EVENTFD_SIGNAL.cycles() + Cost.USERSPACE_PIO.cycles());
        long mmioEventfd = exitEntry + Cost.EXIT_MMIO.cycles() + Cost.EXIT_MMIO_EMULATE.cycles() + Cost.EVENTFD_SIGNAL.cycles();
        assertEquals(3_609, mmioEventfd);
        assertEquals(8_796, mmioEventfd - Cost.EVENTFD_SIGNAL.cycles() + Cost.USERSPACE_MMIO.cycles());
    }

    @Test
    void withOverrides_replacesNamedCosts() {
        CostModel m = CostModel.defaults().withOverrides(Map.of("exit.pio", "1us", "vhost.wakeup", "uniform(1us,2us)"));
        assertEquals(1_000, m.draw(Cost.EXIT_PIO, r));
        long v = m.draw(Cost.VHOST_WAKEUP, r);
        assertTrue(v >= 1_000 && v <= 2_000);
        assertEquals(285, CostModel.defaults().draw(Cost.EXIT_PIO, r));
    }

    @Test
    void withOverrides_ofAnUnknownNameListsTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CostModel.defaults().withOverrides(Map.of("exit.nope", "1us")));
        assertTrue(e.getMessage().startsWith("unknown cost name 'exit.nope'; known names: vmx.exit, vmx.entry"), e.getMessage());
        assertTrue(e.getMessage().contains("wq.kworker_wakeup"));
    }

    @Test
    void withOverrides_ofABadDistributionFails() {
        assertThrows(IllegalArgumentException.class, () -> CostModel.defaults().withOverrides(Map.of("exit.pio", "fast")));
    }

    @Test
    void names_areUniqueAndDotted() {
        Set<String> seen = new HashSet<>();
        for (String n : CostModel.names()) {
            assertTrue(n.matches("[a-z]+\\.[a-z_]+"), n);
            assertTrue(seen.add(n), n);
        }
    }

    @Test
    void describe_givesSourceEstimateFlagAndOverride() {
        List<CostDescription> d = CostModel.defaults().withOverrides(Map.of("eventfd.signal", "100ns")).describe();
        CostDescription pio = d.stream().filter(c -> c.name().equals("exit.pio")).findFirst().orElseThrow();
        assertEquals(712, pio.cycles());
        assertEquals(285.0, pio.meanNs());
        assertFalse(pio.estimate());
        assertTrue(pio.source().contains("pci-testdev"));
        CostDescription sig = d.stream().filter(c -> c.name().equals("eventfd.signal")).findFirst().orElseThrow();
        assertTrue(sig.estimate());
        assertTrue(sig.overridden());
        assertEquals(100.0, sig.meanNs());
        assertEquals(Cost.values().length, d.size());
    }
}
