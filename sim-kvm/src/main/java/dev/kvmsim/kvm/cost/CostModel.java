package dev.kvmsim.kvm.cost;

import dev.kvmsim.core.Distribution;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The costs of a run: one {@link Distribution} per {@link Cost}. Immutable; overrides give a
 * new model.
 *
 * <p>Defaults are the {@link Cost} cycle figures converted at the model's clock (default
 * {@value #DEFAULT_GHZ} GHz) into constant distributions. {@link #draw(Cost, SplittableRandom)}
 * is the hot path: an array index and one sample, no string lookup, no allocation for
 * constant or parametric distributions.
 */
public final class CostModel {
    /** The clock that converts published cycle counts into nanoseconds by default. */
    public static final double DEFAULT_GHZ = 2.5;

    private static final Cost[] COSTS = Cost.values();

    private final double ghz;
    private final Distribution[] dists;
    private final boolean[] overridden;

    private CostModel(double ghz, Distribution[] dists, boolean[] overridden) {
        this.ghz = ghz;
        this.dists = dists;
        this.overridden = overridden;
    }

    /** The defaults at {@value #DEFAULT_GHZ} GHz. */
    public static CostModel defaults() {
        return defaults(DEFAULT_GHZ);
    }

    /** The defaults with cycle figures converted at {@code ghz}. */
    public static CostModel defaults(double ghz) {
        if (!(ghz > 0) || Double.isInfinite(ghz)) {
            throw new IllegalArgumentException("clock must be a positive number of GHz, got " + ghz);
        }
        Distribution[] d = new Distribution[COSTS.length];
        for (Cost c : COSTS) {
            d[c.ordinal()] = Distribution.constant(c.defaultNanos(ghz));
        }
        return new CostModel(ghz, d, new boolean[COSTS.length]);
    }

    /**
     * A model with the named costs replaced by the given distributions ({@code "exit.pio" ->
     * "exp(300ns)"}). An unknown name is an {@link IllegalArgumentException} that lists the
     * known names; a bad distribution is the parser's {@link IllegalArgumentException}.
     */
    public CostModel withOverrides(Map<String, String> overrides) {
        Distribution[] d = dists.clone();
        boolean[] o = overridden.clone();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            Cost c = Cost.byId(e.getKey()).orElseThrow(() -> unknownName(e.getKey()));
            d[c.ordinal()] = Distribution.parse(e.getValue());
            o[c.ordinal()] = true;
        }
        return new CostModel(ghz, d, o);
    }

    /** A model with one cost replaced. */
    public CostModel with(Cost cost, Distribution dist) {
        Distribution[] d = dists.clone();
        boolean[] o = overridden.clone();
        d[cost.ordinal()] = dist;
        o[cost.ordinal()] = true;
        return new CostModel(ghz, d, o);
    }

    /** One sample of {@code cost} in nanoseconds. */
    public long draw(Cost cost, SplittableRandom r) {
        return dists[cost.ordinal()].sample(r);
    }

    /** One sample of the cost named {@code name}; unknown names throw as {@link #withOverrides} does. */
    public long draw(String name, SplittableRandom r) {
        return draw(Cost.byId(name).orElseThrow(() -> unknownName(name)), r);
    }

    /** The distribution in force for {@code cost}. */
    public Distribution distribution(Cost cost) {
        return dists[cost.ordinal()];
    }

    /** The clock used to convert cycle figures. */
    public double ghz() { return ghz; }

    /** Every cost with its value, default cycles, source and estimate flag, in {@link Cost} order. */
    public List<CostDescription> describe() {
        List<CostDescription> out = new ArrayList<>(COSTS.length);
        for (Cost c : COSTS) {
            Distribution d = dists[c.ordinal()];
            out.add(new CostDescription(c.id(), d.toString(), d.mean(), c.cycles(), c.source(),
                c.estimate(), overridden[c.ordinal()]));
        }
        return out;
    }

    /** The stable names of all costs, in {@link Cost} order. */
    public static List<String> names() {
        return Arrays.stream(COSTS).map(Cost::id).collect(Collectors.toList());
    }

    private static IllegalArgumentException unknownName(String name) {
        return new IllegalArgumentException("unknown cost name '" + name + "'; known names: "
            + String.join(", ", names()));
    }
}
