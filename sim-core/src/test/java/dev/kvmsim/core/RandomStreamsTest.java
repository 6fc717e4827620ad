package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

    private static long[] draws(SplittableRandom r) {
        long[] out = new long[64];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextLong();
        }
        return out;
    }

    @Test
    void shouldGiveTheSameDrawsForTheSameSeedAndName() {
        assertArrayEquals(draws(RandomStreams.stream(42, "vcpu0")), draws(RandomStreams.stream(42, "vcpu0")));
    }

    @Test
    void shouldNotChangeAStreamWhenAnotherComponentIsAdded() {
        // run 1: only "disk" draws; run 2: "net" is created first and draws heavily
        Simulation one = new Simulation(42);
        long[] alone = draws(one.random("disk"));

        Simulation two = new Simulation(42);
        SplittableRandom net = two.random("net");
        for (int i = 0; i < 1000; i++) {
            net.nextLong();
        }
        long[] withNet = draws(two.random("disk"));
        assertArrayEquals(alone, withNet);
    }

    @Test
    void shouldDifferAcrossNamesAndSeeds() {
        long[] a = draws(RandomStreams.stream(42, "a"));
        assertFalse(Arrays.equals(a, draws(RandomStreams.stream(42, "b"))));
        assertFalse(Arrays.equals(a, draws(RandomStreams.stream(43, "a"))));
        // names that differ only in a suffix or by a swapped pair are distinct streams
        assertFalse(Arrays.equals(draws(RandomStreams.stream(1, "vcpu1")), draws(RandomStreams.stream(1, "vcpu10"))));
        assertFalse(Arrays.equals(draws(RandomStreams.stream(1, "ab")), draws(RandomStreams.stream(1, "ba"))));
    }
}
