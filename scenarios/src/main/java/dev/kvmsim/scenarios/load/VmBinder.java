package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.HaltPollSpec;
import dev.kvmsim.scenarios.model.VmSpec;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Binds the {@code vm} section (docs/scenarios.md "Top level"); records {@code vm.vcpus} in the context. */
final class VmBinder {
    private static final List<String> KEYS = List.of("vcpus", "guest_state", "irqchip", "costs", "apicv",
            "halt_poll_ns", "halt_poll_ns_grow", "halt_poll_ns_grow_start", "halt_poll_ns_shrink", "max_halt_poll_ns", "guest_haltpoll", "host_cpus");
    private static final List<String> GUEST_KEYS = List.of("guest_halt_poll_ns", "guest_halt_poll_grow",
            "guest_halt_poll_grow_start", "guest_halt_poll_shrink", "guest_halt_poll_allow_shrink");
    /** The module parameters and KVM_CAP_HALT_POLL's args[0] are unsigned ints. */
    private static final long U32_MAX = 0xffff_ffffL;
    private static final int MAX_VCPUS = 1024;

    private final BindContext c;
    private final Reader r;

    VmBinder(BindContext c) {
        this.c = c;
        this.r = c.r;
    }

    VmSpec bind(Optional<YNode> node) {
        VmSpec def = VmSpec.defaults();
        Optional<YNode.MapNode> mm = node.flatMap(n -> r.map(n, "vm", "a map (vcpus, guest_state, irqchip, costs)"));
        if (mm.isEmpty()) {
            return def;
        }
        YNode.MapNode m = mm.get();
        r.checkKeys(m, "vm", KEYS);
        Reader.optional(m, "vcpus").ifPresent(n ->
                c.vcpus = r.u64(n, "vm.vcpus", 1, MAX_VCPUS, "a vCPU count from 1 to " + MAX_VCPUS).orElse(1L).intValue());
        VmSpec.GuestState gs = Reader.optional(m, "guest_state")
                .flatMap(g -> r.oneOf(g, "vm.guest_state", List.of("booted", "reset")))
                .map(s -> VmSpec.GuestState.valueOf(s.toUpperCase(Locale.ROOT)))
                .orElse(def.guestState());
        VmSpec.Irqchip chip = Reader.optional(m, "irqchip")
                .flatMap(n -> r.oneOf(n, "vm.irqchip", List.of("kernel", "split", "none")))
                .map(s -> VmSpec.Irqchip.valueOf(s.toUpperCase(Locale.ROOT)))
                .orElse(def.irqchip());
        Map<String, String> costs = new TreeMap<>();
        Reader.optional(m, "costs")
                .flatMap(cs -> r.map(cs, "vm.costs", "a map of cost names to durations or distributions"))
                .ifPresent(cm -> costs(cm, costs));
        boolean apicv = Reader.optional(m, "apicv").flatMap(a -> r.bool(a, "vm.apicv")).orElse(false);
        return new VmSpec(c.vcpus, gs, chip, costs, apicv, haltPoll(m));
    }

    /** The halt-polling knobs (docs/scenarios.md "Halt polling"); each defaults to the kernel's value. */
    private HaltPollSpec haltPoll(YNode.MapNode m) {
        HaltPollSpec d = HaltPollSpec.defaults();
        long ns = Reader.optional(m, "halt_poll_ns").flatMap(n -> nanos(n, "vm.halt_poll_ns")).orElse(d.haltPollNs());
        long grow = Reader.optional(m, "halt_poll_ns_grow").flatMap(n -> u32(n, "vm.halt_poll_ns_grow")).orElse(d.grow());
        long start = Reader.optional(m, "halt_poll_ns_grow_start").flatMap(n -> nanos(n, "vm.halt_poll_ns_grow_start"))
                .orElse(d.growStart());
        long shrink = Reader.optional(m, "halt_poll_ns_shrink").flatMap(n -> u32(n, "vm.halt_poll_ns_shrink")).orElse(d.shrink());
        OptionalLong max = Reader.optional(m, "max_halt_poll_ns").flatMap(n -> nanos(n, "vm.max_halt_poll_ns"))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        HaltPollSpec.Guest guest = Reader.optional(m, "guest_haltpoll").flatMap(this::guestHaltPoll).orElse(null);
        c.hostCpusGiven = m.entries().containsKey("host_cpus");
        HaltPollSpec.HostCpus cpus = Reader.optional(m, "host_cpus").flatMap(this::hostCpus).orElse(null);
        return new HaltPollSpec(ns, grow, start, shrink, max, guest, cpus);
    }

    /** {@code vm.host_cpus}: a count, or {@code {count: N, vcpus: [[cpu, ...], ...]}} (docs/scenarios.md "Host CPUs"). */
    private Optional<HaltPollSpec.HostCpus> hostCpus(YNode n) {
        String path = "vm.host_cpus";
        if (n instanceof YNode.Scalar) {
            return r.u64(n, path, 1, 64, "a number of host CPUs from 1 to 64").map(c -> new HaltPollSpec.HostCpus(c.intValue(), List.of()));
        }
        Optional<YNode.MapNode> mm = r.map(n, path, "a number of CPUs or a map with count and vcpus");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        r.checkKeys(mm.get(), path, List.of("count", "vcpus"));
        Optional<Long> count = r.required(mm.get(), path, "count").flatMap(x -> r.u64(x, path + ".count", 1, 64, "a number of host CPUs from 1 to 64"));
        java.util.List<Long> masks = new java.util.ArrayList<>();
        boolean ok = true;
        Optional<YNode> vn = Reader.optional(mm.get(), "vcpus");
        if (vn.isPresent()) {
            Optional<YNode.ListNode> l = r.list(vn.get(), path + ".vcpus", "one CPU list per vCPU");
            if (l.isEmpty()) {
                return Optional.empty();
            }
            if (l.get().items().size() > c.vcpus) {
                r.error(vn.get().loc(), path + ".vcpus", "one CPU list per vCPU: " + l.get().items().size() + " lists for " + c.vcpus + " vCPU(s)");
                ok = false;
            }
            for (int i = 0; i < l.get().items().size(); i++) {
                YNode item = l.get().items().get(i);
                Optional<Long> mk = ThreadsBinder.cpuMask(r, item, Reader.index(path + ".vcpus", i));
                if (mk.isPresent() && count.isPresent() && count.get() < 64 && (mk.get() >>> count.get()) != 0) {
                    r.error(item.loc(), Reader.index(path + ".vcpus", i), "CPU " + (63 - Long.numberOfLeadingZeros(mk.get()))
                            + " is not among the host's " + count.get() + " CPUs (0 to " + (count.get() - 1) + ")");
                    ok = false;
                }
                ok &= mk.isPresent();
                mk.ifPresent(masks::add);
            }
        }
        if (count.isEmpty() || !ok) {
            return Optional.empty();
        }
        return Optional.of(new HaltPollSpec.HostCpus(count.get().intValue(), masks));
    }

    /** {@code vm.guest_haltpoll}: {@code true} (the governor's defaults), {@code false}, or a map of its module parameters. */
    private Optional<HaltPollSpec.Guest> guestHaltPoll(YNode n) {
        HaltPollSpec.Guest d = HaltPollSpec.Guest.defaults();
        String path = "vm.guest_haltpoll";
        if (n instanceof YNode.Scalar) {
            return r.bool(n, path).filter(b -> b).map(b -> d);
        }
        Optional<YNode.MapNode> mm = r.map(n, path, "true, false or a map of " + String.join(", ", GUEST_KEYS));
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        YNode.MapNode g = mm.get();
        r.checkKeys(g, path, GUEST_KEYS);
        long ns = Reader.optional(g, "guest_halt_poll_ns").flatMap(x -> nanos(x, path + ".guest_halt_poll_ns")).orElse(d.guestHaltPollNs());
        long grow = Reader.optional(g, "guest_halt_poll_grow").flatMap(x -> u32(x, path + ".guest_halt_poll_grow")).orElse(d.grow());
        long start = Reader.optional(g, "guest_halt_poll_grow_start").flatMap(x -> nanos(x, path + ".guest_halt_poll_grow_start"))
                .orElse(d.growStart());
        long shrink = Reader.optional(g, "guest_halt_poll_shrink").flatMap(x -> u32(x, path + ".guest_halt_poll_shrink")).orElse(d.shrink());
        boolean allow = Reader.optional(g, "guest_halt_poll_allow_shrink").flatMap(x -> r.bool(x, path + ".guest_halt_poll_allow_shrink"))
                .orElse(d.allowShrink());
        return Optional.of(new HaltPollSpec.Guest(ns, grow, start, shrink, allow));
    }

    private Optional<Long> u32(YNode n, String path) {
        return r.u64(n, path, 0, U32_MAX, "an unsigned int (0 to " + U32_MAX + ")");
    }

    /** Nanoseconds as the kernel takes them (an unsigned int), or a duration ({@code 200us}). */
    private Optional<Long> nanos(YNode n, String path) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.STRING) {
            Optional<Long> d = r.duration(n, path);
            if (d.isPresent() && d.get() > U32_MAX) {
                r.error(n.loc(), path, "expected at most " + U32_MAX + " ns (an unsigned int), got " + s.text());
                return Optional.empty();
            }
            return d;
        }
        return r.u64(n, path, 0, U32_MAX, "nanoseconds as an unsigned int (0 to " + U32_MAX + ") or a duration like \"200us\"");
    }

    private void costs(YNode.MapNode cm, Map<String, String> out) {
        for (Map.Entry<String, YNode.Entry> e : cm.entries().entrySet()) {
            String path = "vm.costs." + e.getKey();
            if (r.distribution(e.getValue().value(), path).isPresent()) {
                out.put(e.getKey(), ((YNode.Scalar) e.getValue().value()).text());
            }
            CostNames.check(e.getKey()).ifPresent(msg -> r.error(e.getValue().keyLoc(), path, msg));
        }
    }
}
