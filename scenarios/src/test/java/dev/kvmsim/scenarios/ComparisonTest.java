package dev.kvmsim.scenarios;

import dev.kvmsim.scenarios.model.Comparison;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected values compare as unsigned 64-bit: an eventfd counter can legitimately be
 * 0xFFFFFFFFFFFFFFFE (write(2) up to ULLONG_MAX-1) or 0xFFFFFFFFFFFFFFFF (eventfd_signal
 * saturation), docs/kernel-model.md#eventfd.
 */
class ComparisonTest {

    @Test
    void comparisons_areUnsigned() {
        long max = 0xffff_ffff_ffff_ffffL;
        assertTrue(new Comparison(Comparison.Op.EQ, max, "== max").test(max));
        assertTrue(new Comparison(Comparison.Op.GT, 1, "> 1").test(max));
        assertTrue(new Comparison(Comparison.Op.GE, 0xffff_ffff_ffff_fffeL, ">= max-1").test(max));
        assertFalse(new Comparison(Comparison.Op.LT, 5, "< 5").test(max));
        assertTrue(new Comparison(Comparison.Op.LE, max, "<= max").test(3));
    }

    @Test
    void loader_acceptsU64ExpectedCounters_andRejectsBeyond() {
        String ok = "version: 1\nname: u64\neventfds: [{name: e}]\nexpect:\n  - {eventfd: e, counter: 0xffffffffffffffff}\n";
        assertTrue(ScenarioLoader.load(ScenarioSource.text("u64.yaml", ok)).ok());
        String bad = ok.replace("0xffffffffffffffff", "0x10000000000000000");
        assertFalse(ScenarioLoader.load(ScenarioSource.text("u64.yaml", bad)).ok());
    }
}
