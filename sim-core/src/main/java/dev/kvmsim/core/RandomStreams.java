package dev.kvmsim.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Named random streams: each component draws from a stream derived from the run seed and its
 * own name, so adding a component never changes another component's draws.
 */
public final class RandomStreams {
    private RandomStreams() {}

    public static SplittableRandom stream(long seed, String name) {
        return new SplittableRandom(mix(seed, name));
    }

    /** FNV-1a 64 of the UTF-8 name, mixed with the seed by a SplitMix64 finaliser. */
    static long mix(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        long z = seed * 0x9e3779b97f4a7c15L + h;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
