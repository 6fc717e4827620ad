package dev.kvmsim.bench;

import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.RunOptions;
import dev.kvmsim.scenarios.ScenarioLibrary;
import dev.kvmsim.scenarios.ScenarioRunner;
import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.Scenario;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole notification pipeline at scale: the built-in {@code virtio-net-notify} scenario
 * (guest MMIO kick -> ioeventfd -> vhost worker -> irqfd -> MSI -> guest handler) with its
 * round-trip count replaced, tracing off. JMH measures one full run per operation; {@link #main}
 * runs it once outside JMH and prints events/s, round trips/s and the heap after GC, for
 * runs under {@code -Xmx256m -Xlog:gc} (docs/benchmarks-pipeline.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class PipelineBench {

    @Param({"100000"})
    public long roundTrips;

    private Scenario scenario;

    @Setup
    public void setUp() {
        scenario = scaled(roundTrips);
    }

    /** One run of {@code roundTrips} round trips; returns the events run so nothing is dead code. */
    @Benchmark
    public long pipeline() {
        return ScenarioRunner.run(scenario, RunOptions.defaults()).events();
    }

    /** virtio-net-notify with {@code n} round trips and no expectations (they name the 10,000 of the original). */
    public static Scenario scaled(long n) {
        return scaled("virtio-net-notify", n);
    }

    /** The library scenario {@code name} (a virtio-net-notify variant) with {@code n} round trips and no expectations. */
    public static Scenario scaled(String name, long n) {
        Scenario s = ScenarioLibrary.load(name).orThrow();
        List<GuestProgram> guest = new ArrayList<>();
        for (GuestProgram p : s.guest()) {
            List<GuestAction> program = new ArrayList<>();
            for (GuestAction a : p.program()) {
                program.add(a instanceof GuestAction.Repeat r ? new GuestAction.Repeat(n, r.body(), r.loc()) : a);
            }
            guest.add(new GuestProgram(p.vcpu(), program, p.loc()));
        }
        return new Scenario(s.source(), s.version(), s.name(), s.description(), s.seed(), s.until(), s.vm(), s.eventfds(),
                s.host(), s.threads(), guest, List.of());
    }

    /**
     * {@code java -Xmx256m -Xlog:gc -cp benchmarks.jar dev.kvmsim.bench.PipelineBench [ROUND_TRIPS [REPEATS [SCENARIO]]]}:
     * runs the pipeline, prints wall time, events/s, round trips/s and the heap used after a GC.
     */
    public static void main(String[] args) {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        // a third argument names another variant, e.g. shared-cpu (host CPU contention modelled)
        Scenario s = args.length > 2 ? scaled(args[2], n) : scaled(n);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int i = 0; i < repeats; i++) {
            long a0 = threads.getThreadAllocatedBytes(self);
            long t0 = System.nanoTime();
            Report r = ScenarioRunner.run(s, RunOptions.defaults());
            long wall = System.nanoTime() - t0;
            long allocated = threads.getThreadAllocatedBytes(self) - a0;
            long delivered = r.vcpus().get(0).delivered().getOrDefault(0x22, 0L);
            System.gc();
            long heap = mem.getHeapMemoryUsage().getUsed();
            System.out.printf("run %d: %,d round trips (%,d delivered), %,d events, %.3f s wall, %,.0f events/s, %,.0f round trips/s, "
                            + "simulated %.3f s, allocated %.1f bytes/round trip, heap after GC %,d KiB%n",
                    i, n, delivered, r.events(), wall / 1e9, r.events() / (wall / 1e9), delivered / (wall / 1e9),
                    r.simulatedNs() / 1e9, allocated / (double) n, heap / 1024);
        }
    }
}
