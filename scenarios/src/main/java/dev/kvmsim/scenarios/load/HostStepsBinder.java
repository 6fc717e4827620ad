package dev.kvmsim.scenarios.load;

import dev.kvmsim.core.Durations;
import dev.kvmsim.scenarios.model.Bus;
import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.StepExpect;
import dev.kvmsim.scenarios.model.StepMeta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the {@code host} section: steps in time order, each a map with exactly one action key,
 * optional {@code at} and {@code expect} (docs/scenarios.md "Host steps"). Routing entries and
 * step expectations have their own binders.
 */
final class HostStepsBinder {
    private final BindContext c;
    private final Reader r;
    private final StepExpectBinder expects;
    private final RoutingBinder routing;
    private final ExpectationsBinder checks;

    HostStepsBinder(BindContext c, ExpectationsBinder checks) {
        this.c = c;
        this.r = c.r;
        this.expects = new StepExpectBinder(c);
        this.routing = new RoutingBinder(c);
        this.checks = checks;
    }

    List<HostStep> bind(Optional<YNode> node) {
        List<HostStep> out = new ArrayList<>();
        Optional<YNode.ListNode> l = node.flatMap(n -> r.list(n, "host", "host steps"));
        if (l.isEmpty()) {
            return out;
        }
        long time = 0;
        for (int i = 0; i < l.get().items().size(); i++) {
            String path = Reader.index("host", i);
            Optional<YNode.MapNode> mm = r.map(l.get().items().get(i), path, "a host step (a map with one action key)");
            if (mm.isEmpty()) {
                continue;
            }
            YNode.MapNode m = mm.get();
            Optional<String> actionKey = actionKey(m, path);
            Optional<YNode> at = Reader.optional(m, "at");
            if (at.isPresent()) {
                Optional<Long> t = r.duration(at.get(), path + ".at");
                if (t.isPresent()) {
                    if (t.get() < time) {
                        r.error(at.get().loc(), path + ".at", "time " + Durations.format(t.get()) + " is earlier than the previous step's time " + Durations.format(time) + " (steps are in time order)");
                    } else {
                        time = t.get();
                    }
                }
            }
            if (actionKey.isEmpty()) {
                if (m.entries().keySet().stream().allMatch(k -> k.equals("at") || k.equals("expect"))) {
                    r.error(m.loc(), path, "missing the action: expected one of " + actionKeys());
                }
                continue;
            }
            String key = actionKey.get();
            HostStep.Action action = HostStep.Action.byKey(key);
            Optional<StepExpect> expect = Reader.optional(m, "expect").flatMap(ex -> expects.bind(ex, path + ".expect", action));
            StepMeta meta = new StepMeta(i, m.loc(), time, expect);
            step(action, meta, Reader.present(m, key), Reader.join(path, key)).ifPresent(out::add);
        }
        return out;
    }

    /** The step's one action key; every other key but {@code at} and {@code expect} is reported. */
    private Optional<String> actionKey(YNode.MapNode m, String path) {
        String actionKey = null;
        for (Map.Entry<String, YNode.Entry> e : m.entries().entrySet()) {
            String k = e.getKey();
            if (k.equals("at") || k.equals("expect")) {
                continue;
            }
            if (HostStep.Action.byKey(k) == null) {
                r.error(e.getValue().keyLoc(), Reader.join(path, k), "unknown key (expected one action of: " + actionKeys() + "; or at, expect)");
            } else if (actionKey != null) {
                r.error(e.getValue().keyLoc(), Reader.join(path, k), "a step has exactly one action, and this one already has '" + actionKey + "'");
            } else {
                actionKey = k;
            }
        }
        return Optional.ofNullable(actionKey);
    }

    private static String actionKeys() {
        StringBuilder sb = new StringBuilder();
        for (HostStep.Action a : HostStep.Action.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.key());
        }
        return sb.toString();
    }

    private Optional<HostStep> step(HostStep.Action action, StepMeta meta, YNode arg, String path) {
        return switch (action) {
            case IOEVENTFD -> c.args(arg, path, "an ioeventfd (a map with eventfd, bus, addr, len, ...)",
                    List.of("eventfd", "bus", "addr", "len", "datamatch", "deassign", "flags", "count", "stride"))
                    .flatMap(a -> ioeventfd(meta, a, path));
            case IRQFD -> c.args(arg, path, "an irqfd (a map with eventfd, gsi, resample, deassign, flags)",
                    List.of("eventfd", "gsi", "resample", "deassign", "flags"))
                    .flatMap(a -> irqfd(meta, a, path));
            case GSI_ROUTING -> routing.bind(arg, path).map(entries -> new HostStep.GsiRouting(meta, entries));
            case EVENTFD_WRITE -> c.args(arg, path, "an eventfd_write (a map with eventfd, value)", List.of("eventfd", "value"))
                    .flatMap(a -> {
                        Optional<FdRef> fd = a.fd("eventfd", true);
                        Optional<Long> value = a.reqU64("value");
                        return both(fd, value, (f, v) -> new HostStep.EventfdWrite(meta, f, v));
                    });
            case EVENTFD_READ -> c.fdArg(arg, path, List.of("eventfd")).map(fd -> new HostStep.EventfdRead(meta, fd));
            case EVENTFD_SIGNAL -> eventfdSignal(meta, arg, path);
            case CLOSE -> c.fdArg(arg, path, List.of("eventfd")).map(fd -> new HostStep.Close(meta, fd));
            case IRQ_LINE -> c.args(arg, path, "an irq_line (a map with irq, level)", List.of("irq", "level"))
                    .flatMap(a -> {
                        Optional<Long> irq = a.reqU32("irq");
                        Optional<Long> level = a.reqU32("level");
                        return both(irq, level, (q, lv) -> new HostStep.IrqLine(meta, q, lv));
                    });
            case SIGNAL_MSI -> c.args(arg, path, "a signal_msi (a map with address, address_hi, data, flags)",
                    List.of("address", "address_hi", "data", "flags"))
                    .flatMap(a -> {
                        Optional<Long> addr = a.reqU32("address");
                        long hi = a.optU32("address_hi", 0);
                        Optional<Long> data = a.reqU32("data");
                        long flags = a.optU32("flags", 0);
                        return both(addr, data, (ad, d) -> new HostStep.SignalMsi(meta, ad, hi, d, flags));
                    });
            case COALESCED_MMIO -> c.args(arg, path, "a coalesced_mmio (a map with bus, addr, size)", List.of("bus", "addr", "size", "count", "stride"))
                    .flatMap(a -> coalescedMmio(meta, a, path));
            case CHECK -> Optional.of(new HostStep.Check(meta, checks.bind(Optional.of(arg), path)));
        };
    }

    private Optional<HostStep> eventfdSignal(StepMeta meta, YNode arg, String path) {
        if (arg instanceof YNode.Scalar) {
            return c.fdRef(arg, path, true).map(fd -> new HostStep.EventfdSignal(meta, fd, 1));
        }
        return c.args(arg, path, "an eventfd_signal (an eventfd name, or a map with eventfd, n)", List.of("eventfd", "n"))
                .flatMap(a -> {
                    Optional<FdRef> fd = a.fd("eventfd", true);
                    long n = a.optU64("n", 1);
                    return fd.map(f -> new HostStep.EventfdSignal(meta, f, n));
                });
    }

    /** The bus key of an ioeventfd or coalesced_mmio step: absent means MMIO. */
    private Optional<Bus> bus(Args a, String path, List<String> names) {
        Optional<YNode> b = a.optional("bus");
        if (b.isEmpty()) {
            return Optional.of(Bus.MMIO);
        }
        return r.oneOf(b.get(), path + ".bus", names).map(Bus::byYamlName);
    }

    private Optional<HostStep> ioeventfd(StepMeta meta, Args a, String path) {
        Optional<FdRef> fd = a.fd("eventfd", true);
        Optional<Bus> bus = bus(a, path, List.of("mmio", "pio", "virtio-ccw"));
        Optional<Long> addr = a.reqU64("addr");
        Optional<Long> len = a.reqU32("len");
        Optional<YNode> dm = a.optional("datamatch");
        Optional<Long> datamatch = dm.isEmpty() ? Optional.of(0L) : r.u64(dm.get(), path + ".datamatch");
        boolean deassign = a.optBool("deassign");
        long flags = a.optU32("flags", 0);
        long count = a.count();
        long stride = a.optU64("stride", len.filter(v -> v != 0).orElse(1L));
        if (fd.isEmpty() || bus.isEmpty() || addr.isEmpty() || len.isEmpty() || datamatch.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HostStep.Ioeventfd(meta, fd.get(), bus.get(), addr.get(), len.get(), dm.isPresent(), datamatch.get(),
                deassign, flags, count, stride));
    }

    private Optional<HostStep> irqfd(StepMeta meta, Args a, String path) {
        Optional<FdRef> fd = a.fd("eventfd", true);
        Optional<Long> gsi = a.reqU32("gsi");
        Optional<YNode> rs = a.optional("resample");
        Optional<FdRef> resample = rs.flatMap(n -> c.fdRef(n, path + ".resample", true));
        if (rs.isPresent() && resample.isEmpty()) {
            return Optional.empty();
        }
        boolean deassign = a.optBool("deassign");
        long flags = a.optU32("flags", 0);
        return both(fd, gsi, (f, g) -> new HostStep.Irqfd(meta, f, g, resample.orElse(null), deassign, flags));
    }

    private Optional<HostStep> coalescedMmio(StepMeta meta, Args a, String path) {
        Optional<Bus> bus = bus(a, path, List.of("mmio", "pio"));
        Optional<Long> addr = a.reqU64("addr");
        Optional<Long> size = a.reqU32("size");
        long count = a.count();
        long stride = a.optU64("stride", size.filter(v -> v != 0).orElse(1L));
        if (bus.isEmpty() || addr.isEmpty() || size.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HostStep.CoalescedMmio(meta, bus.get(), addr.get(), size.get(), count, stride));
    }

    private static <A, B> Optional<HostStep> both(Optional<A> a, Optional<B> b, java.util.function.BiFunction<A, B, HostStep> f) {
        return a.isPresent() && b.isPresent() ? Optional.of(f.apply(a.get(), b.get())) : Optional.empty();
    }
}
