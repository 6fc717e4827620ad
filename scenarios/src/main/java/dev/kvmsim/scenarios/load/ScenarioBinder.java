package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.LoadResult;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.model.VmSpec;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Binds a {@link YNode} tree to a {@link Scenario}, checking structure, types, names and
 * references (docs/scenarios.md "Files and values"). The top-level keys are read here; each
 * section has its own binder ({@link VmBinder}, {@link EventfdsBinder}, {@link ThreadsBinder},
 * {@link HostStepsBinder}, {@link GuestBinder}, {@link ExpectationsBinder}) sharing one
 * {@link BindContext}. Every error is collected; the scenario is returned only when there are
 * none. Argument values the kernel validates are passed on as written.
 */
public final class ScenarioBinder {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final List<String> TOP = List.of("version", "name", "description", "seed", "until", "vm", "eventfds", "host", "threads", "guest", "expect");
    /** Exit reasons an {@code exits} expectation may name (VMX basic exit reasons the model produces). */
    public static final List<String> EXIT_REASONS = List.of("EXTERNAL_INTERRUPT", "INTERRUPT_WINDOW", "HLT", "IO_INSTRUCTION",
            "MSR_WRITE", "EOI_INDUCED", "EPT_VIOLATION", "EPT_MISCONFIG", "APIC_WRITE");

    private final BindContext c;
    private final Reader r;
    private final String source;

    private ScenarioBinder(String file, String source) {
        this.c = new BindContext(file);
        this.r = c.r;
        this.source = source;
    }

    /** The scenario bound from {@code root}, or every error found in it. */
    public static LoadResult bind(YNode root, String file, String source) {
        ScenarioBinder b = new ScenarioBinder(file, source);
        Optional<Scenario> s = b.scenario(root);
        List<ScenarioError> errors = List.copyOf(b.r.errors());
        return errors.isEmpty() ? LoadResult.ok(s.orElseThrow()) : LoadResult.failed(errors);
    }

    /** {@code threads[].cpus} needs {@code vm.host_cpus} and names only its CPUs. */
    private void checkThreadCpus(VmSpec vm, java.util.List<dev.kvmsim.scenarios.model.ThreadSpec> threads) {
        var hc = vm.haltPoll().hostCpus();
        for (int i = 0; i < threads.size(); i++) {
            long mask = threads.get(i).polling().cpuMask();
            if (mask == 0) {
                continue;
            }
            String path = Reader.index("threads", i) + ".cpus";
            if (hc == null && c.hostCpusGiven) {
                continue; // vm.host_cpus itself is in error
            }
            if (hc == null) {
                r.error(threads.get(i).loc(), path, "a CPU set needs vm.host_cpus (without it every thread has a CPU of its own)");
            } else if (hc.count() < 64 && (mask >>> hc.count()) != 0) {
                r.error(threads.get(i).loc(), path, "CPU " + (63 - Long.numberOfLeadingZeros(mask)) + " is not among the host's "
                        + hc.count() + " CPUs (0 to " + (hc.count() - 1) + ")");
            }
        }
    }

    private Optional<Scenario> scenario(YNode root) {
        Optional<YNode.MapNode> mm = r.map(root, "", "a scenario (a map with version, name, ...) at the top level");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        YNode.MapNode m = mm.get();
        r.checkKeys(m, "", TOP);
        r.required(m, "", "version").ifPresent(v -> r.u64(v, "version").filter(n -> n != 1).ifPresent(n ->
                r.error(v.loc(), "version", "unsupported version " + Long.toUnsignedString(n) + ": the only version is 1")));
        Optional<String> name = r.required(m, "", "name").flatMap(nn -> r.string(nn, "name").map(s -> {
            if (!NAME.matcher(s).matches()) {
                r.error(nn.loc(), "name", "bad name '" + s + "': expected lowercase letters, digits and '-' ([a-z0-9-]+)");
            }
            return s;
        }));
        String description = Reader.optional(m, "description").flatMap(d -> r.string(d, "description")).orElse("");
        long seed = Reader.optional(m, "seed").flatMap(sd -> r.u64(sd, "seed")).orElse(1L);
        OptionalLong until = Reader.optional(m, "until").flatMap(u -> r.duration(u, "until"))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        VmSpec vm = new VmBinder(c).bind(Reader.optional(m, "vm"));
        var eventfds = new EventfdsBinder(c).bind(Reader.optional(m, "eventfds"));
        var threads = new ThreadsBinder(c).bind(Reader.optional(m, "threads"));
        checkThreadCpus(vm, threads);
        ExpectationsBinder expectations = new ExpectationsBinder(c);
        var host = new HostStepsBinder(c, expectations).bind(Reader.optional(m, "host"));
        var guest = new GuestBinder(c).bind(Reader.optional(m, "guest"));
        var expect = expectations.bind(Reader.optional(m, "expect"), "expect");
        // The only version is 1 (checked above); a scenario without a valid name has an error.
        return name.map(n -> new Scenario(source, 1, n, description, seed, until, vm, eventfds, host, threads, guest, expect));
    }
}
