package dev.kvmsim.scenarios.sweep;

import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.ReportColumns;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.ScenarioRunner;
import dev.kvmsim.scenarios.ScenarioSource;
import dev.kvmsim.scenarios.model.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The grid of a sweep and the run of one of its points, a pure function of (scenario text,
 * point, seed rule) to a {@link SweepRow}: no shared state, so any number of points run at
 * once, here on a thread pool or on a cluster, and give the same rows.
 */
public final class SweepRunner {
    private SweepRunner() {}

    /**
     * Every run of the grid: the cartesian product of the parameters' values (the last
     * parameter varies fastest), each point {@code runs} times.
     */
    public static List<SweepPoint> grid(List<SweepParam> params, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        long points = 1;
        for (SweepParam p : params) {
            points *= p.values().size();
            if (points * runs > 10_000_000L) {
                throw new IllegalArgumentException("the grid has more than 10,000,000 runs");
            }
        }
        List<SweepPoint> out = new ArrayList<>();
        int[] at = new int[params.size()];
        for (int point = 0; point < points; point++) {
            List<Override> overrides = new ArrayList<>();
            for (int k = 0; k < params.size(); k++) {
                overrides.add(new Override(params.get(k).path(), params.get(k).values().get(at[k])));
            }
            for (int run = 0; run < runs; run++) {
                out.add(new SweepPoint(out.size(), point, run, overrides));
            }
            for (int k = params.size() - 1; k >= 0; k--) {
                if (++at[k] < params.get(k).values().size()) {
                    break;
                }
                at[k] = 0;
            }
        }
        return out;
    }

    /**
     * The seed of run {@code run} of a point whose scenario has seed {@code base}: run 0 keeps
     * the scenario's seed (so it matches {@code kvmsim run}); later runs take SplitMix64's
     * output for {@code base + run * golden gamma}, independent streams that every point shares
     * (common random numbers: points differ by their parameters, not by luck).
     */
    public static long seed(long base, int run) {
        if (run == 0) {
            return base;
        }
        long z = base + run * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Runs one point: loads {@code text} (named {@code display} in messages) with the point's
     * overrides, runs it with its seed and returns the row. Never throws for bad input: a
     * scenario that does not load with these overrides gives a row with the error.
     */
    public static SweepRow run(String display, String text, SweepPoint point) {
        LoadResult r = ScenarioLoader.load(ScenarioSource.text(display, text), new TreeOverrides(point.overrides()));
        if (!r.ok()) {
            return new SweepRow(point, 0, new LinkedHashMap<>(),
                    r.errors().stream().map(ScenarioError::render).collect(Collectors.joining("; ")));
        }
        Scenario s = r.scenario().orElseThrow();
        long seed = seed(s.seed(), point.run());
        Report report = ScenarioRunner.run(s, RunOptions.defaults().withSeed(seed));
        return new SweepRow(point, seed, ReportColumns.of(report), null);
    }
}
