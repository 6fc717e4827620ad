package dev.kvmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BenchCommandTest {

    @Test
    void hold_printsOneLinePerVariantWithAgreeingClocks() {
        Cli r = Cli.run("bench", "hold", "--n", "100", "--m", "20000");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("pq-raw "), lines[0]);
        assertTrue(lines[1].startsWith("raw "), lines[1]);
        assertTrue(lines[2].startsWith("full "), lines[2]);
        assertTrue(lines[0].endsWith("ratio 1.00x"), lines[0]);
        String clock = lines[0].replaceAll(".*final_clock (\\d+) ns.*", "$1");
        for (String line : lines) {
            assertTrue(line.contains("N=100 ") && line.contains("M=20000 ") && line.contains("holds/s "), line);
            assertEquals(clock, line.replaceAll(".*final_clock (\\d+) ns.*", "$1"), line);
        }
    }

    @Test
    void hold_unknownVariant_isInvalidInput() {
        Cli r = Cli.run("bench", "hold", "--n", "10", "--m", "10", "--variant", "splay");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown hold variant \"splay\""), r.err());
    }

    @Test
    void hold_withoutBaseline_printsNoRatio() {
        Cli r = Cli.run("bench", "hold", "--n", "10", "--m", "1000", "--variant", "full");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().strip().endsWith("ratio -"), r.out());
    }
}
