package dev.kvmsim.bench;

import dev.kvmsim.core.EventQueue;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.bench.HoldModel;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hold model of docs/hold-benchmark.md under JMH: one operation is one hold (remove the earliest of N
 * pending events, insert one Exp(1) later, via {@link HoldModel#delay}). {@code raw} drives the
 * engine's {@link EventQueue}; {@code full} runs real {@link Simulation} events whose action
 * schedules the next; {@code pqRaw} is the {@link PriorityQueue} baseline. Run with
 * {@code -prof gc}: {@code raw} and {@code full} allocate nothing per hold in steady state.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class HoldBench {
    /** Holds per benchmark invocation, so the JMH call overhead is amortised. */
    static final int BATCH = 1000;
    static final long SEED = 42;

    @State(Scope.Thread)
    public static class RawState {
        @Param({"1000", "100000", "1000000"})
        int n;
        EventQueue queue;
        SplittableRandom random;
        final Runnable noop = () -> { };

        @Setup(Level.Trial)
        public void prefill() {
            random = new SplittableRandom(SEED);
            queue = new EventQueue(n);
            for (int i = 0; i < n; i++) {
                queue.add(HoldModel.delay(HoldModel.exp1(random)), noop);
            }
        }
    }

    @State(Scope.Thread)
    public static class FullState {
        @Param({"1000", "100000", "1000000"})
        int n;
        Simulation sim;

        @Setup(Level.Trial)
        public void prefill() {
            SplittableRandom random = new SplittableRandom(SEED);
            sim = new Simulation(SEED);
            HoldModel.Hold hold = new HoldModel.Hold(sim, random);
            for (int i = 0; i < n; i++) {
                sim.schedule(HoldModel.delay(HoldModel.exp1(random)), hold);
            }
        }
    }

    @State(Scope.Thread)
    public static class PqState {
        @Param({"1000", "100000", "1000000"})
        int n;
        PriorityQueue<HoldModel.Ev> queue;
        SplittableRandom random;

        @Setup(Level.Trial)
        public void prefill() {
            random = new SplittableRandom(SEED);
            queue = new PriorityQueue<>(n);
            for (int i = 0; i < n; i++) {
                queue.add(new HoldModel.Ev(HoldModel.delay(HoldModel.exp1(random))));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long raw(RawState s) {
        EventQueue q = s.queue;
        SplittableRandom r = s.random;
        long now = 0;
        for (int i = 0; i < BATCH; i++) {
            now = q.peekTime();
            Runnable a = q.poll();
            q.add(now + HoldModel.delay(HoldModel.exp1(r)), a);
        }
        return now;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long full(FullState s) {
        Simulation sim = s.sim;
        for (int i = 0; i < BATCH; i++) {
            sim.step();
        }
        return sim.now();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long pqRaw(PqState s) {
        PriorityQueue<HoldModel.Ev> q = s.queue;
        SplittableRandom r = s.random;
        long now = 0;
        for (int i = 0; i < BATCH; i++) {
            HoldModel.Ev e = q.poll();
            now = e.time;
            e.time = now + HoldModel.delay(HoldModel.exp1(r));
            q.add(e);
        }
        return now;
    }
}
