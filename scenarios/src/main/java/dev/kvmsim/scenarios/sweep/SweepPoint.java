package dev.kvmsim.scenarios.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * One run of a sweep: its place in the output ({@code index}), its grid point (the overrides,
 * one per swept parameter, in the order given) and its run number at that point.
 */
public record SweepPoint(int index, int point, int run, List<Override> overrides) implements Serializable {
    public SweepPoint {
        overrides = List.copyOf(overrides);
    }
}
