package dev.kvmsim.cli;

import dev.kvmsim.core.Durations;
import dev.kvmsim.core.bench.HoldModel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kvmsim bench}: engine benchmarks that need no JMH. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Engine benchmarks (the JMH ones live in bench/target/benchmarks.jar).",
        subcommands = {BenchCommand.Hold.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kvmsim bench hold}: the hold model of docs/hold-benchmark.md, one line per variant. */
    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = {
                "The classic hold model (docs/hold-benchmark.md): N pending events, Exp(1) increments from one",
                "SplittableRandom(seed) stream, prefill N, M/10 untimed warm-up holds, M timed holds.",
                "Prints per variant: holds/s, the final clock (must agree across variants) and the",
                "ratio to the java.util.PriorityQueue baseline measured in the same process."})
    static final class Hold implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--n", description = "pending events (default ${DEFAULT-VALUE})", defaultValue = "1000")
        int n;

        @Option(names = "--m", description = "timed holds (default ${DEFAULT-VALUE})", defaultValue = "10000000")
        long m;

        @Option(names = "--seed", description = "seed of the one random stream (default ${DEFAULT-VALUE})", defaultValue = "42")
        long seed;

        @Option(names = "--variant", split = ",",
                description = "variants to run, in order: pq-raw, raw, full, rng-only (default pq-raw,raw,full)",
                defaultValue = "pq-raw,raw,full")
        List<String> variants = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (n < 1 || m < 1) {
                spec.commandLine().getErr().println("kvmsim bench hold: --n and --m must be at least 1");
                return 2;
            }
            HoldModel.Result baseline = null;
            Long clock = null;
            boolean agree = true;
            for (String v : variants) {
                HoldModel.Result r;
                try {
                    r = HoldModel.run(v, n, m, seed);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("kvmsim bench hold: " + e.getMessage());
                    return 2;
                }
                if (v.equals("pq-raw")) {
                    baseline = r;
                }
                String ratio = baseline == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.holdsPerSecond() / baseline.holdsPerSecond());
                String clockText;
                if (v.equals("rng-only")) {
                    clockText = "-";
                } else {
                    clockText = r.finalClock() + " ns (" + Durations.format(r.finalClock()) + ")";
                    if (clock == null) {
                        clock = r.finalClock();
                    } else if (clock != r.finalClock()) {
                        agree = false;
                    }
                }
                out.printf(Locale.ROOT, "%-8s N=%-8d M=%-9d holds/s %,14.0f  final_clock %s  ratio %s%n",
                        v, n, m, r.holdsPerSecond(), clockText, ratio);
                out.flush();
            }
            if (!agree) {
                spec.commandLine().getErr().println("kvmsim bench hold: the final clocks differ; an event list is wrong");
                return 1;
            }
            return 0;
        }
    }
}
