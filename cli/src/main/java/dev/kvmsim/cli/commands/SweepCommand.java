package dev.kvmsim.cli.commands;

import dev.kvmsim.cli.ExitCode;
import dev.kvmsim.cli.UserError;
import dev.kvmsim.cli.progress.Terminal;
import dev.kvmsim.cli.sweep.SweepCsv;
import dev.kvmsim.cli.sweep.SweepHtml;
import dev.kvmsim.core.Durations;
import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.ReportColumns;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.ScenarioLoader;
import dev.kvmsim.scenarios.ScenarioSource;
import dev.kvmsim.scenarios.sweep.SweepParam;
import dev.kvmsim.scenarios.sweep.SweepPoint;
import dev.kvmsim.scenarios.sweep.SweepRow;
import dev.kvmsim.scenarios.sweep.SweepRunner;
import dev.kvmsim.scenarios.sweep.TreeOverrides;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kvmsim sweep FILE --param PATH=V1,V2 --runs N}: a grid of runs on every core, as CSV and an HTML page. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a scenario over a grid of field values (every combination of the --param values, each --runs times "
                + "with its own reproducible seed) on every core; write one CSV row per run (the parameters and every metric "
                + "and counter of its report) and an HTML page plotting each chosen metric against each parameter.",
        footerHeading = "%nExamples:%n",
        footer = {"  kvmsim sweep virtio-net-notify --param vm.costs.vhost.wakeup=1us,3us,5us --runs 5",
                "  kvmsim sweep my.yaml --param 'threads[0].service=1us..9us step 2us' --param vm.vcpus=1,2 --runs 3",
                "  kvmsim sweep my.yaml --param 'threads[vhost-net].service=exp(3us),uniform(1us,5us)' --metric latency.notify_to_irq.p99",
                "",
                "PATH names any field of the scenario: map keys separated by dots (cost names under vm.costs keep theirs),",
                "list items by [index] or by [name]. Run 0 of a point uses the scenario's seed; run k a seed derived from it",
                "(the 'seed' column; 'kvmsim run FILE --seed S' with the point's values repeats the row).",
                "Exit codes: 0 the sweep ran, 2 invalid input (a parameter, or a grid point that does not load)."})
public final class SweepCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "A scenario file or a built-in scenario's name.")
    String file;

    @Option(names = "--param", paramLabel = "PATH=VALUES",
            description = "A swept field and its values: V1,V2,... or FROM..TO step STEP (durations or integers). Repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "1", description = "Runs per grid point (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Runs at once (default: the number of cores).")
    Integer jobs;

    @Option(names = "--csv", paramLabel = "OUT.csv", defaultValue = "kvmsim-sweep.csv", description = "The CSV (default ${DEFAULT-VALUE}).")
    Path csv;

    @Option(names = "--html", paramLabel = "OUT.html", defaultValue = "kvmsim-sweep.html", description = "The HTML page (default ${DEFAULT-VALUE}).")
    Path html;

    @Option(names = "--metric", paramLabel = "COLUMN",
            description = "A report column to plot (e.g. latency.notify_to_irq.p99, events). Repeatable. "
                    + "Default: p50 and p99 of notify_to_irq (or of the first latency metric).")
    List<String> metrics = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<SweepParam> grid = parseParams();
        if (runs < 1) {
            throw new UserError("--runs " + runs + ": expected at least 1");
        }
        int threads = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (threads < 1) {
            throw new UserError("--jobs " + threads + ": expected at least 1");
        }
        ScenarioSource source = ScenarioSource.resolve(file);
        String text = readText(source);
        List<SweepPoint> points;
        try {
            points = SweepRunner.grid(grid, runs);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        checkPointsLoad(source.display(), text, points);
        List<SweepRow> rows = runAll(source.display(), text, points, threads);
        List<String> columns = SweepCsv.columns(rows);
        List<String> chosen = chooseMetrics(columns);
        write(csv, SweepCsv.write(grid, rows));
        String scenario = ScenarioLoader.load(ScenarioSource.text(source.display(), text)).scenario()
                .map(s -> s.name()).orElse(source.display());
        write(html, SweepHtml.write(scenario, grid, runs, chosen, rows));
        summary(spec.commandLine().getOut(), scenario, grid, rows, chosen, threads, columns.size());
        return ExitCode.OK;
    }

    private List<SweepParam> parseParams() {
        List<SweepParam> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> paths = new LinkedHashSet<>();
        for (String p : params) {
            try {
                SweepParam sp = SweepParam.parse(p);
                if (!paths.add(sp.path())) {
                    errors.add("--param " + sp.path() + ": given twice");
                }
                out.add(sp);
            } catch (IllegalArgumentException e) {
                errors.add("--param " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new UserError(errors);
        }
        return out;
    }

    private static String readText(ScenarioSource source) {
        LoadResult plain = ScenarioLoader.load(source);
        if (!plain.ok()) {
            throw new UserError(plain.errors().stream().map(ScenarioError::render).toList());
        }
        try {
            return source.readText();
        } catch (NoSuchFileException e) {
            throw new UserError(source.display() + ": no such file");
        } catch (IOException e) {
            throw new UserError(source.display() + ": cannot read: " + e.getMessage());
        }
    }

    /** Every distinct grid point must load before anything runs: a bad value fails fast, naming the point. */
    private static void checkPointsLoad(String display, String text, List<SweepPoint> points) {
        int lastPoint = -1;
        for (SweepPoint p : points) {
            if (p.point() == lastPoint) {
                continue;
            }
            lastPoint = p.point();
            LoadResult r = ScenarioLoader.load(ScenarioSource.text(display, text), new TreeOverrides(p.overrides()));
            if (!r.ok()) {
                List<String> lines = new ArrayList<>();
                lines.add("grid point " + p.point() + " " + p.overrides() + " does not load:");
                r.errors().forEach(e -> lines.add("  " + e.render()));
                throw new UserError(lines);
            }
        }
    }

    private List<SweepRow> runAll(String display, String text, List<SweepPoint> points, int threads)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kvmsim-sweep");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        List<Future<SweepRow>> futures = new ArrayList<>();
        try {
            for (SweepPoint p : points) {
                futures.add(pool.submit(() -> {
                    SweepRow row = SweepRunner.run(display, text, p);
                    done.incrementAndGet();
                    return row;
                }));
            }
            pool.shutdown();
            showProgress(pool, done, points.size());
            List<SweepRow> rows = new ArrayList<>();
            for (Future<SweepRow> f : futures) {
                rows.add(f.get());
            }
            return rows;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep run failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** "sweep: 12/45 runs (26%), ETA 34s" on a terminal's standard error, until the pool is done. */
    private void showProgress(ExecutorService pool, AtomicInteger done, int total) throws InterruptedException {
        boolean tty = Terminal.stderrIsTerminal();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        boolean printed = false;
        while (!pool.awaitTermination(250, TimeUnit.MILLISECONDS)) {
            if (!tty) {
                continue;
            }
            int d = done.get();
            long elapsed = System.nanoTime() - start;
            String eta = d == 0 ? "?" : Durations.format(Math.round(elapsed / (double) d * (total - d) / 1e9) * 1_000_000_000L);
            err.print(String.format(Locale.ROOT, "\rkvmsim: sweep %d/%d runs (%d%%), ETA %s   ", d, total, d * 100 / total, eta));
            err.flush();
            printed = true;
        }
        if (printed) {
            err.print("\r" + " ".repeat(60) + "\r");
            err.flush();
        }
    }

    private List<String> chooseMetrics(List<String> columns) {
        if (!metrics.isEmpty()) {
            List<String> unknown = metrics.stream().filter(m -> !columns.contains(m)).toList();
            if (!unknown.isEmpty()) {
                List<String> latency = columns.stream().filter(c -> c.endsWith(".p99")).limit(6).toList();
                throw new UserError("--metric " + String.join(", ", unknown) + ": no run reports it (columns include "
                        + String.join(", ", latency) + ", events, simulated_ns; see the CSV header)");
            }
            return metrics;
        }
        String base = columns.contains("latency.notify_to_irq.p99") ? "latency.notify_to_irq"
                : columns.stream().filter(c -> c.startsWith("latency.") && c.endsWith(".p99"))
                        .map(c -> c.substring(0, c.length() - 4)).findFirst().orElse(null);
        return base == null ? List.of("events") : List.of(base + ".p50", base + ".p99");
    }

    private static void write(Path out, String content) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserError(out + ": cannot write: " + e.getMessage());
        }
    }

    /** One line per grid point with the mean of each chosen metric over its runs. */
    private void summary(PrintWriter out, String scenario, List<SweepParam> grid, List<SweepRow> rows, List<String> chosen,
                         int threads, int columns) {
        int pointCount = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).point().point() + 1;
        out.println("sweep of " + scenario + ": " + pointCount + " point(s) x " + runs + " run(s) = " + rows.size() + " runs");
        List<String> header = new ArrayList<>();
        grid.forEach(p -> header.add(p.path()));
        chosen.forEach(m -> header.add("mean " + m));
        header.add("passed");
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        for (int point = 0; point < pointCount; point++) {
            final int pt = point;
            List<SweepRow> at = rows.stream().filter(r -> r.point().point() == pt).toList();
            List<String> line = new ArrayList<>();
            at.get(0).point().overrides().forEach(o -> line.add(o.value()));
            for (String m : chosen) {
                double[] v = at.stream().map(r -> r.columnsView().get(m)).filter(x -> x != null).mapToDouble(Double::parseDouble).toArray();
                double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
                line.add(Double.isNaN(mean) ? "-" : ReportColumns.isNanoseconds(m) ? Durations.format(Math.round(mean))
                        : String.format(Locale.ROOT, "%.1f", mean));
            }
            long passed = at.stream().filter(r -> "1".equals(r.columnsView().get("passed"))).count();
            line.add(passed + "/" + at.size());
            table.add(line);
        }
        int[] w = new int[header.size()];
        for (List<String> l : table) {
            for (int i = 0; i < l.size(); i++) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        for (List<String> l : table) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                b.append(String.format(Locale.ROOT, i < grid.size() ? "%-" + w[i] + "s  " : "%" + w[i] + "s  ", l.get(i)));
            }
            out.println(b.toString().stripTrailing());
        }
        out.println("wrote " + csv + " (" + rows.size() + " rows, " + (4 + grid.size() + columns) + " columns) and "
                + html + " (" + chosen.size() * Math.max(1, grid.size()) + " plots)");
        out.flush();
    }
}
