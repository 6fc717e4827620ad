package dev.kvmsim.scenarios.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.ReportColumns;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.ScenarioRunner;
import dev.kvmsim.scenarios.ScenarioSource;
import dev.kvmsim.scenarios.model.Scenario;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Field overrides by path, parameter values and ranges, the grid, seeds, and one point's run. */
class SweepTest {
    static final String BASE = """
            version: 1
            name: sweep-base
            seed: 5
            vm: {vcpus: 1, costs: {exit.pio: 700ns}}
            eventfds: [{name: kick}, {name: call}]
            host:
              - ioeventfd: {eventfd: kick, bus: mmio, addr: 0x1000, len: 4}
              - gsi_routing: [{gsi: 24, msi: {address: 0xfee00000, data: 0x22}}]
              - irqfd: {eventfd: call, gsi: 24}
            threads:
              - {name: vhost-net, kind: vhost, wait: kick, service: exp(3us), signal: call}
            guest:
              - vcpu: 0
                program:
                  - repeat: 20
                    do:
                      - mmio_write: {addr: 0x1000, len: 4, value: 1}
                      - wait_irq: {vector: 0x22, timeout: 1ms}
            """;

    private static Scenario load(String text, Override... overrides) {
        LoadResult r = ScenarioLoader.load(ScenarioSource.text("base.yaml", text), new TreeOverrides(List.of(overrides)));
        assertTrue(r.ok(), () -> r.errors().toString());
        return r.scenario().orElseThrow();
    }

    private static String error(String text, Override... overrides) {
        LoadResult r = ScenarioLoader.load(ScenarioSource.text("base.yaml", text), new TreeOverrides(List.of(overrides)));
        assertTrue(!r.ok(), "expected a load error");
        return r.errors().get(0).render();
    }

    @Test
    void aCostNameWithDotsIsOneKeyUnderVmCosts() {
        Scenario s = load(BASE, new Override("vm.costs.vhost.wakeup", "9us"), new Override("vm.costs.exit.pio", "1us"));
        assertEquals(load(BASE.replace("costs: {exit.pio: 700ns}", "costs: {exit.pio: 1us, vhost.wakeup: 9us}")), s.withSeed(s.seed()));
    }

    @Test
    void listItemsByIndexAndByName() {
        Scenario byIndex = load(BASE, new Override("threads[0].service", "uniform(1us,2us)"));
        Scenario byName = load(BASE, new Override("threads[vhost-net].service", "uniform(1us,2us)"));
        Scenario written = load(BASE.replace("service: exp(3us)", "service: 'uniform(1us,2us)'"));
        assertEquals(written, byIndex);
        assertEquals(written, byName);
        assertEquals(load(BASE.replace("repeat: 20", "repeat: 40")), load(BASE, new Override("guest[0].program[0].repeat", "40")));
    }

    @Test
    void topLevelFieldsAndNewKeys() {
        assertEquals(77, load(BASE, new Override("seed", "77")).seed());
        assertEquals(2, load(BASE, new Override("vm.vcpus", "2")).vm().vcpus());
        assertEquals(3_000_000L, load(BASE, new Override("until", "3ms")).until().getAsLong());
    }

    @Test
    void anOverriddenValueIsCheckedLikeAWrittenOne() {
        assertTrue(error(BASE, new Override("vm.vcpus", "0")).contains("vm.vcpus"));
        assertTrue(error(BASE, new Override("vm.costs.vhost.wakup", "1us")).contains("vhost.wakup"));
    }

    @Test
    void badPathsNameThePlace() {
        assertTrue(error(BASE, new Override("threads[3].service", "1us")).contains("'threads' has 1 item(s): no [3]"));
        assertTrue(error(BASE, new Override("threads[nope].service", "1us")).contains("no item named 'nope'"));
        assertTrue(error(BASE, new Override("name.x", "1")).contains("'name' is the string 'sweep-base', not a map"));
        assertThrows(IllegalArgumentException.class, () -> SweepParam.parse("threads[0.service=1us"));
    }

    @Test
    void valuesSplitAtTopLevelCommasOnly() {
        assertEquals(List.of("exp(3us)", "uniform(1us,5us)", "2us"), SweepParam.parse("threads[0].service=exp(3us), uniform(1us,5us),2us").values());
    }

    @Test
    void rangesOfDurationsAndIntegers() {
        assertEquals(List.of("1us", "3us", "5us"), SweepParam.parse("vm.costs.vhost.wakeup=1us..5us step 2us").values());
        assertEquals(List.of("1us", "2.5us", "4us"), SweepParam.parse("x=1us..5us step 1500ns").values());
        assertEquals(List.of("1", "2", "3"), SweepParam.parse("vm.vcpus=1..3").values());
        assertThrows(IllegalArgumentException.class, () -> SweepParam.parse("x=1us..5us"));
        assertThrows(IllegalArgumentException.class, () -> SweepParam.parse("x=5..1"));
        assertThrows(IllegalArgumentException.class, () -> SweepParam.parse("x=1ns..1s step 1ns"));
        assertThrows(IllegalArgumentException.class, () -> SweepParam.parse("novalue"));
    }

    @Test
    void theGridVariesTheLastParameterFastestAndRepeatsEachPoint() {
        List<SweepPoint> g = SweepRunner.grid(List.of(SweepParam.parse("a=1,2"), SweepParam.parse("b=x,y,z")), 2);
        assertEquals(12, g.size());
        assertEquals(List.of(new Override("a", "1"), new Override("b", "y")), g.get(2).overrides());
        assertEquals(1, g.get(2).point());
        assertEquals(0, g.get(2).run());
        assertEquals(1, g.get(3).run());
        assertEquals(List.of(new Override("a", "2"), new Override("b", "z")), g.get(11).overrides());
        assertEquals(1, SweepRunner.grid(List.of(), 1).size());
    }

    @Test
    void runZeroKeepsTheScenarioSeedAndLaterRunsGetDistinctSeeds() {
        assertEquals(5, SweepRunner.seed(5, 0));
        java.util.Set<Long> seeds = new java.util.HashSet<>();
        for (int run = 0; run < 1000; run++) {
            seeds.add(SweepRunner.seed(5, run));
        }
        assertEquals(1000, seeds.size());
        assertNotEquals(SweepRunner.seed(5, 1), SweepRunner.seed(6, 1));
    }

    @Test
    void aPointsRowIsTheReportOfTheOverriddenScenarioWithItsSeed() {
        SweepPoint p = new SweepPoint(0, 0, 3, List.of(new Override("vm.costs.vhost.wakeup", "4us")));
        SweepRow row = SweepRunner.run("base.yaml", BASE, p);
        assertNull(row.error());
        Scenario written = load(BASE.replace("costs: {exit.pio: 700ns}", "costs: {exit.pio: 700ns, vhost.wakeup: 4us}"));
        assertEquals(SweepRunner.seed(5, 3), row.seed());
        assertEquals(ReportColumns.of(ScenarioRunner.run(written, RunOptions.defaults().withSeed(row.seed()))), row.columnsView());
        assertEquals(row, SweepRunner.run("base.yaml", BASE, p), "a pure function: the same point gives the same row");
        assertEquals("20", row.columnsView().get("vcpu0.delivered.0x22"));
    }

    @Test
    void aPointThatDoesNotLoadGivesItsErrorInTheRow() {
        SweepRow row = SweepRunner.run("base.yaml", BASE, new SweepPoint(0, 0, 0, List.of(new Override("vm.vcpus", "0"))));
        assertTrue(row.error().contains("vm.vcpus"), row.error());
        assertTrue(row.columnsView().isEmpty());
    }
}
