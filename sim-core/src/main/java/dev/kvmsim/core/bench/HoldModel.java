package dev.kvmsim.core.bench;

import dev.kvmsim.core.EventQueue;
import dev.kvmsim.core.Simulation;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The classic hold model (Vaucher and Duval 1975; Jones 1986) exactly as
 * {@code docs/hold-benchmark.md} fixes it: N pending events; every increment is Exp(1) drawn by
 * inversion {@code -ln(1-U)} from one {@code new SplittableRandom(seed)} stream; prefill N
 * events from time 0; M/10 untimed warm-up holds; M timed holds.
 *
 * <p>Our clock is {@code long} nanoseconds, so every variant converts a draw {@code x} to a
 * delay by {@link #delay} ({@code (long) (x * 1e9)}: one time unit is one simulated second).
 * With identical conversions all variants see the same multiset of event times, so their final
 * clocks must agree whatever their tie order: {@link Result#finalClock} is the correctness check.
 *
 * <p>Variants: {@code pq-raw}, a {@link PriorityQueue} of re-timed event objects (the JDK
 * baseline); {@code raw}, the engine's {@link EventQueue} driven directly; {@code full}, real
 * {@link Simulation} events whose action schedules the next one through
 * {@link Simulation#schedule}, the holds counted around {@link Simulation#step}; and
 * {@code rng-only}, the draws alone.
 */
public final class HoldModel {
    /** The variants in the order a run measures them; the first is the baseline. */
    public static final String[] VARIANTS = {"pq-raw", "raw", "full", "rng-only"};

    private HoldModel() {}

    /** One measured run of one variant. */
    public record Result(String variant, int n, long m, long elapsedNs, long finalClock) {
        /** Timed holds per wall-clock second. */
        public double holdsPerSecond() {
            return m * 1e9 / Math.max(1, elapsedNs);
        }
    }

    /** An Exp(1) draw by inversion, as docs/hold-benchmark.md specifies. */
    public static double exp1(SplittableRandom r) {
        return -Math.log(1.0 - r.nextDouble());
    }

    /** The delay in nanoseconds for a draw in seconds; the same conversion for every variant. */
    public static long delay(double x) {
        return (long) (x * 1e9);
    }

    /** Runs one variant by name (see {@link #VARIANTS}). */
    public static Result run(String variant, int n, long m, long seed) {
        if (n < 1 || m < 0) {
            throw new IllegalArgumentException("hold model needs N >= 1 and M >= 0, got N=" + n + " M=" + m);
        }
        switch (variant) {
            case "pq-raw": return pqRaw(n, m, seed);
            case "raw": return raw(n, m, seed);
            case "full": return full(n, m, seed);
            case "rng-only": return rngOnly(n, m, seed);
            default:
                throw new IllegalArgumentException("unknown hold variant \"" + variant + "\": expected one of pq-raw, raw, full, rng-only");
        }
    }

    /** The event object of the PriorityQueue baseline: one time, re-timed in place (JMH's HoldBench uses it too). */
    public static final class Ev implements Comparable<Ev> {
        public long time;

        public Ev(long time) {
            this.time = time;
        }

        @Override
        public int compareTo(Ev o) {
            return Long.compare(time, o.time);
        }
    }

    public static Result pqRaw(int n, long m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        PriorityQueue<Ev> q = new PriorityQueue<>(n);
        for (int i = 0; i < n; i++) {
            q.add(new Ev(delay(exp1(r))));
        }
        long now = pqHolds(q, r, m / 10);
        long t0 = System.nanoTime();
        now = pqHolds(q, r, m);
        long t1 = System.nanoTime();
        return new Result("pq-raw", n, m, t1 - t0, now);
    }

    private static long pqHolds(PriorityQueue<Ev> q, SplittableRandom r, long holds) {
        long now = 0;
        for (long i = 0; i < holds; i++) {
            Ev e = q.poll();
            now = e.time;
            e.time = now + delay(exp1(r));
            q.add(e);
        }
        return now;
    }

    public static Result raw(int n, long m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EventQueue q = new EventQueue(n);
        Runnable noop = HoldModel::noop;
        for (int i = 0; i < n; i++) {
            q.add(delay(exp1(r)), noop);
        }
        long now = rawHolds(q, r, m / 10);
        long t0 = System.nanoTime();
        now = rawHolds(q, r, m);
        long t1 = System.nanoTime();
        return new Result("raw", n, m, t1 - t0, now);
    }

    private static long rawHolds(EventQueue q, SplittableRandom r, long holds) {
        long now = 0;
        for (long i = 0; i < holds; i++) {
            now = q.peekTime();
            Runnable a = q.poll();
            q.add(now + delay(exp1(r)), a);
        }
        return now;
    }

    private static void noop() { }

    /**
     * The handler of every pending event: performs the hold through the public API
     * (the {@code full} variant; JMH's HoldBench uses it too).
     */
    public static final class Hold implements Runnable {
        private final Simulation sim;
        private final SplittableRandom r;

        public Hold(Simulation sim, SplittableRandom r) {
            this.sim = sim;
            this.r = r;
        }

        @Override
        public void run() {
            sim.schedule(delay(exp1(r)), this);
        }
    }

    public static Result full(int n, long m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Simulation sim = new Simulation(seed);
        Hold hold = new Hold(sim, r);
        for (int i = 0; i < n; i++) {
            sim.schedule(delay(exp1(r)), hold);
        }
        fullHolds(sim, m / 10);
        long t0 = System.nanoTime();
        fullHolds(sim, m);
        long t1 = System.nanoTime();
        return new Result("full", n, m, t1 - t0, sim.now());
    }

    private static void fullHolds(Simulation sim, long holds) {
        for (long i = 0; i < holds; i++) {
            sim.step();
        }
    }

    /** The draws alone, no queue: the cost every other variant includes. */
    public static Result rngOnly(int n, long m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long sink = 0;
        for (long i = 0; i < m / 10; i++) {
            sink += delay(exp1(r));
        }
        long t0 = System.nanoTime();
        for (long i = 0; i < m; i++) {
            sink += delay(exp1(r));
        }
        long t1 = System.nanoTime();
        // the sum of the draws is reported as the "clock" so the loop cannot be optimised away
        return new Result("rng-only", n, m, t1 - t0, sink);
    }
}
