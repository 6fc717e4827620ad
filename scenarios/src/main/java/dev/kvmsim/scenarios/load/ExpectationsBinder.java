package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.Comparison;
import dev.kvmsim.scenarios.model.Expectation;
import dev.kvmsim.scenarios.model.FdRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Binds expectations: the {@code expect} section and the lists of {@code check} host steps
 * (docs/scenarios.md "Expectations"). Each is a map with one kind key.
 */
final class ExpectationsBinder {
    private static final List<String> KINDS = List.of("eventfd", "vcpu", "exits", "userspace_exits", "latency", "thread", "halt_poll");
    /** The halt-poll statistics an expectation may check (the kernel's names, poll_cpu_ns, halt_poll_ns). */
    static final List<String> HALT_POLL_STATS = List.of("halt_successful_poll", "halt_attempted_poll", "halt_poll_invalid",
            "halt_wakeup", "halt_poll_success_ns", "halt_poll_fail_ns", "halt_wait_ns", "poll_cpu_ns", "halt_poll_ns",
            "guest_polls", "guest_polls_timed_out", "guest_halts", "guest_poll_ns", "guest_poll_limit_ns");
    private static final List<String> LATENCY_STATS = List.of("p50", "p90", "p99", "max", "mean", "min", "count");
    private static final String VECTOR = "a vector from 0 to 255";

    private final BindContext c;
    private final Reader r;

    ExpectationsBinder(BindContext c) {
        this.c = c;
        this.r = c.r;
    }

    List<Expectation> bind(Optional<YNode> node, String path) {
        List<Expectation> out = new ArrayList<>();
        node.flatMap(n -> r.list(n, path, "expectations")).ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                expectation(l.items().get(i), Reader.index(path, i)).ifPresent(out::add);
            }
        });
        return out;
    }

    private Optional<Expectation> expectation(YNode n, String path) {
        Optional<YNode.MapNode> mm = r.map(n, path, "an expectation (a map with one of: " + String.join(", ", KINDS) + ")");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        YNode.MapNode m = mm.get();
        Optional<String> kind = KINDS.stream().filter(m.entries()::containsKey).findFirst();
        if (kind.isEmpty()) {
            r.error(m.loc(), path, "expected one of: " + String.join(", ", KINDS));
            return Optional.empty();
        }
        return switch (kind.get()) {
            case "eventfd" -> eventfd(m, path);
            case "vcpu" -> vcpu(m, path);
            case "exits" -> exits(m, path);
            case "userspace_exits" -> userspaceExits(m, path);
            case "thread" -> thread(m, path);
            case "latency" -> latency(m, path);
            case "halt_poll" -> haltPoll(m, path);
            default -> throw new IllegalStateException(kind.get());
        };
    }

    private Optional<Expectation> eventfd(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("eventfd", "counter", "signals"));
        Optional<FdRef> fd = c.fdRef(Reader.present(m, "eventfd"), path + ".eventfd", false);
        Optional<YNode> cn = Reader.optional(m, "counter");
        Optional<YNode> sn = Reader.optional(m, "signals");
        if (cn.isEmpty() && sn.isEmpty()) {
            r.error(m.loc(), path, "expected counter or signals (or both)");
            return Optional.empty();
        }
        Optional<Comparison> counter = cn.flatMap(x -> r.comparison(x, path + ".counter", false));
        Optional<Comparison> signals = sn.flatMap(x -> r.comparison(x, path + ".signals", false));
        if (fd.isEmpty() || counter.isEmpty() != cn.isEmpty() || signals.isEmpty() != sn.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.Eventfd(fd.get().name(), counter.orElse(null), signals.orElse(null), m.loc()));
    }

    private Optional<Expectation> vcpu(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("vcpu", "vector", "delivered"));
        Optional<Integer> vcpu = c.vcpuIndex(Reader.present(m, "vcpu"), path + ".vcpu");
        Optional<YNode> vn = Reader.optional(m, "vector");
        Optional<Long> vector = vn.isEmpty() ? Optional.of(-1L) : r.u64(vn.get(), path + ".vector", 0, 255, VECTOR);
        Optional<Comparison> delivered = r.required(m, path, "delivered").flatMap(dn -> r.comparison(dn, path + ".delivered", false));
        if (vcpu.isEmpty() || vector.isEmpty() || delivered.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.Vcpu(vcpu.get(), vector.get().intValue(), delivered.get(), m.loc()));
    }

    private Optional<Expectation> exits(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("exits"));
        String p = path + ".exits";
        Optional<Args> aa = c.args(Reader.present(m, "exits"), p, "a map with vcpu, reason, count", List.of("vcpu", "reason", "count"));
        if (aa.isEmpty()) {
            return Optional.empty();
        }
        Args a = aa.get();
        Optional<YNode> vn = a.optional("vcpu");
        Optional<Integer> vcpu = vn.isEmpty() ? Optional.of(-1) : c.vcpuIndex(vn.get(), p + ".vcpu");
        Optional<YNode> rn = a.optional("reason");
        Optional<String> reason = rn.flatMap(x -> r.oneOf(x, p + ".reason", ScenarioBinder.EXIT_REASONS));
        Optional<Comparison> count = a.required("count").flatMap(cn -> r.comparison(cn, p + ".count", false));
        if (vcpu.isEmpty() || reason.isEmpty() != rn.isEmpty() || count.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.Exits(vcpu.get(), reason.orElse(null), count.get(), m.loc()));
    }

    private Optional<Expectation> userspaceExits(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("userspace_exits"));
        String p = path + ".userspace_exits";
        Optional<Args> aa = c.args(Reader.present(m, "userspace_exits"), p, "a map with kind, addr, len, data, count",
                List.of("kind", "addr", "len", "data", "count"));
        if (aa.isEmpty()) {
            return Optional.empty();
        }
        Args a = aa.get();
        Optional<YNode> kn = a.optional("kind");
        Optional<String> k = kn.flatMap(x -> r.oneOf(x, p + ".kind", List.of("mmio", "io", "ioapic_eoi")));
        Optional<YNode> an = a.optional("addr");
        Optional<YNode> ln = a.optional("len");
        Optional<YNode> dn = a.optional("data");
        Optional<Long> addr = an.isEmpty() ? Optional.of(0L) : r.u64(an.get(), p + ".addr");
        Optional<Long> len = ln.isEmpty() ? Optional.of(0L) : r.u64(ln.get(), p + ".len");
        Optional<Long> data = dn.isEmpty() ? Optional.of(0L) : r.u64(dn.get(), p + ".data");
        Optional<Comparison> count = a.required("count").flatMap(cn -> r.comparison(cn, p + ".count", false));
        if (k.isEmpty() != kn.isEmpty() || addr.isEmpty() || len.isEmpty() || data.isEmpty() || count.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.UserspaceExits(k.orElse(null), an.isPresent(), addr.get(), ln.isPresent(), len.get(),
                dn.isPresent(), data.get(), count.get(), m.loc()));
    }

    private Optional<Expectation> thread(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("thread", "wakeups", "services", "polled_wakeups"));
        Optional<String> name = r.string(Reader.present(m, "thread"), path + ".thread").filter(s -> {
            if (!c.threadNames.containsKey(s)) {
                r.error(m.entries().get("thread").value().loc(), path + ".thread", "unknown thread '" + s + "' (declared: "
                        + (c.threadNames.isEmpty() ? "none" : String.join(", ", new TreeSet<>(c.threadNames.keySet()))) + ")");
                return false;
            }
            return true;
        });
        Optional<YNode> wn = Reader.optional(m, "wakeups");
        Optional<YNode> sn = Reader.optional(m, "services");
        Optional<YNode> pn = Reader.optional(m, "polled_wakeups");
        if (wn.isEmpty() && sn.isEmpty() && pn.isEmpty()) {
            r.error(m.loc(), path, "expected wakeups, services or polled_wakeups");
            return Optional.empty();
        }
        Optional<Comparison> pw = pn.flatMap(x -> r.comparison(x, path + ".polled_wakeups", false));
        Optional<Comparison> w = wn.flatMap(x -> r.comparison(x, path + ".wakeups", false));
        Optional<Comparison> sv = sn.flatMap(x -> r.comparison(x, path + ".services", false));
        if (name.isEmpty() || w.isEmpty() != wn.isEmpty() || sv.isEmpty() != sn.isEmpty() || pw.isEmpty() != pn.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.Thread(name.get(), w.orElse(null), sv.orElse(null), pw.orElse(null), m.loc()));
    }

    private Optional<Expectation> latency(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("latency"));
        String p = path + ".latency";
        List<String> keys = new ArrayList<>(List.of("metric"));
        keys.addAll(LATENCY_STATS);
        Optional<Args> aa = c.args(Reader.present(m, "latency"), p, "a map with metric and p50, p90, p99, max, mean", keys);
        if (aa.isEmpty()) {
            return Optional.empty();
        }
        Args a = aa.get();
        Optional<String> metric = a.required("metric").flatMap(mn -> r.string(mn, p + ".metric"));
        Map<String, Comparison> stats = new LinkedHashMap<>();
        boolean ok = true;
        for (String st : LATENCY_STATS) {
            Optional<YNode> sn = a.optional(st);
            if (sn.isPresent()) {
                Optional<Comparison> cmp = r.comparison(sn.get(), p + "." + st, !st.equals("count"));
                ok &= cmp.isPresent();
                cmp.ifPresent(x -> stats.put(st, x));
            }
        }
        if (stats.isEmpty() && ok) {
            r.error(a.m.loc(), p, "expected at least one of: " + String.join(", ", LATENCY_STATS));
            return Optional.empty();
        }
        if (metric.isEmpty() || !ok) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.Latency(metric.get(), stats, m.loc()));
    }

    /** {@code halt_poll: {vcpu: N, halt_successful_poll: 3, halt_poll_ns: 20000, ...}} (counts and ns as integers). */
    private Optional<Expectation> haltPoll(YNode.MapNode m, String path) {
        r.checkKeys(m, path, List.of("halt_poll"));
        String p = path + ".halt_poll";
        List<String> keys = new ArrayList<>(List.of("vcpu"));
        keys.addAll(HALT_POLL_STATS);
        Optional<Args> aa = c.args(Reader.present(m, "halt_poll"), p, "a map with vcpu and halt-poll statistics", keys);
        if (aa.isEmpty()) {
            return Optional.empty();
        }
        Args a = aa.get();
        Optional<Integer> vcpu = a.required("vcpu").flatMap(vn -> c.vcpuIndex(vn, p + ".vcpu"));
        Map<String, Comparison> stats = new LinkedHashMap<>();
        boolean ok = true;
        for (String st : HALT_POLL_STATS) {
            Optional<YNode> sn = a.optional(st);
            if (sn.isPresent()) {
                Optional<Comparison> cmp = r.comparison(sn.get(), p + "." + st, false);
                ok &= cmp.isPresent();
                cmp.ifPresent(x -> stats.put(st, x));
            }
        }
        if (stats.isEmpty() && ok) {
            r.error(a.m.loc(), p, "expected at least one of: " + String.join(", ", HALT_POLL_STATS));
            return Optional.empty();
        }
        if (vcpu.isEmpty() || !ok) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.HaltPoll(vcpu.get(), stats, m.loc()));
    }
}
