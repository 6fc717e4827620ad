package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.Loc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Binds the {@code guest} section: one program per vCPU, each a list of guest actions (docs/scenarios.md "Guest programs"). */
final class GuestBinder {
    private static final List<String> KEYS = List.of("vcpu", "program");
    private static final List<String> ACTIONS = List.of("compute", "mmio_write", "pio_write", "wait_irq", "wait_until", "cli", "sti", "ioapic_redirect", "repeat");
    private static final String VECTOR = "a vector from 0 to 255";

    private final BindContext c;
    private final Reader r;

    GuestBinder(BindContext c) {
        this.c = c;
        this.r = c.r;
    }

    List<GuestProgram> bind(Optional<YNode> node) {
        List<GuestProgram> out = new ArrayList<>();
        Optional<YNode.ListNode> l = node.flatMap(n -> r.list(n, "guest", "guest programs"));
        if (l.isEmpty()) {
            return out;
        }
        Map<Integer, Loc> seen = new HashMap<>();
        for (int i = 0; i < l.get().items().size(); i++) {
            String path = Reader.index("guest", i);
            c.args(l.get().items().get(i), path, "a guest program (a map with vcpu, program)", KEYS)
                    .flatMap(a -> program(a, path, seen))
                    .ifPresent(out::add);
        }
        return out;
    }

    private Optional<GuestProgram> program(Args a, String path, Map<Integer, Loc> seen) {
        Optional<YNode> vn = a.required("vcpu");
        Optional<Integer> vcpu = vn.flatMap(n -> c.vcpuIndex(n, path + ".vcpu"));
        if (vcpu.isPresent()) {
            if (seen.containsKey(vcpu.get())) {
                r.error(vn.get().loc(), path + ".vcpu", "duplicate program for vCPU " + vcpu.get() + " (first at line " + seen.get(vcpu.get()).line() + ")");
            } else {
                seen.put(vcpu.get(), vn.get().loc());
            }
        }
        Optional<List<GuestAction>> program = a.required("program").flatMap(pn -> actions(pn, path + ".program"));
        if (vcpu.isEmpty() || program.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GuestProgram(vcpu.get(), program.get(), a.m.loc()));
    }

    /** The actions of a list; empty only when the node is not a list (a bad action is reported and left out). */
    private Optional<List<GuestAction>> actions(YNode node, String path) {
        Optional<YNode.ListNode> l = r.list(node, path, "guest actions");
        if (l.isEmpty()) {
            return Optional.empty();
        }
        List<GuestAction> out = new ArrayList<>();
        for (int i = 0; i < l.get().items().size(); i++) {
            action(l.get().items().get(i), Reader.index(path, i)).ifPresent(out::add);
        }
        return Optional.of(out);
    }

    private Optional<GuestAction> action(YNode n, String path) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.STRING) {
            switch (s.text()) {
                case "cli":
                    return Optional.of(new GuestAction.Cli(n.loc()));
                case "sti":
                    return Optional.of(new GuestAction.Sti(n.loc()));
                case "wait_irq":
                    return Optional.of(new GuestAction.WaitIrq(-1, -1, n.loc()));
                default:
                    r.error(n.loc(), path, "unknown guest action '" + s.text() + "' (bare actions are cli, sti, wait_irq; others are maps: " + String.join(", ", ACTIONS) + ")");
                    return Optional.empty();
            }
        }
        Optional<YNode.MapNode> mm = r.map(n, path, "a guest action (cli, sti, or a map with one of: " + String.join(", ", ACTIONS) + ")");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        YNode.MapNode m = mm.get();
        Optional<String> k = actionKey(m, path);
        if (k.isEmpty()) {
            if (m.entries().keySet().stream().allMatch(x -> x.equals("expect") || x.equals("do"))) {
                r.error(m.loc(), path, "missing the action: expected one of " + String.join(", ", ACTIONS));
            }
            return Optional.empty();
        }
        String key = k.get();
        YNode arg = Reader.present(m, key);
        String ap = Reader.join(path, key);
        GuestAction.ExitExpect expect = exitExpect(m, key, path);
        switch (key) {
            case "compute":
                return r.duration(arg, ap).map(ns -> new GuestAction.Compute(ns, m.loc()));
            case "wait_until":
                return r.duration(arg, ap).map(ns -> new GuestAction.WaitUntil(ns, m.loc()));
            case "cli":
            case "sti":
                r.error(m.loc(), path, key + " is written as a bare list item: - " + key);
                return Optional.empty();
            case "mmio_write":
            case "pio_write":
                return c.args(arg, ap, "a map with " + (key.equals("mmio_write") ? "addr" : "port") + ", len, value",
                        List.of(key.equals("mmio_write") ? "addr" : "port", "len", "value"))
                        .flatMap(a -> write(key.equals("mmio_write"), a, ap, expect, m.loc()));
            case "wait_irq":
                return waitIrq(arg, ap, m.loc());
            case "ioapic_redirect":
                return c.args(arg, ap, "a map with pin, vector, trigger, dest, dest_mode, masked",
                        List.of("pin", "vector", "trigger", "dest", "dest_mode", "masked"))
                        .flatMap(a -> ioapicRedirect(a, ap, m.loc()));
            case "repeat": {
                Optional<Long> times = r.u64(arg, ap);
                Optional<List<GuestAction>> actions = r.required(m, path, "do").flatMap(body -> actions(body, path + ".do"));
                if (times.isEmpty() || actions.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new GuestAction.Repeat(times.get(), actions.get(), m.loc()));
            }
            default:
                throw new IllegalStateException(key);
        }
    }

    /** The action's one key; other keys but {@code expect} (and {@code do} beside repeat) are reported. */
    private Optional<String> actionKey(YNode.MapNode m, String path) {
        String key = null;
        for (Map.Entry<String, YNode.Entry> e : m.entries().entrySet()) {
            String k = e.getKey();
            if (k.equals("expect") || (k.equals("do") && m.entries().containsKey("repeat"))) {
                continue;
            }
            if (!ACTIONS.contains(k)) {
                r.error(e.getValue().keyLoc(), Reader.join(path, k), "unknown key (expected one action of: " + String.join(", ", ACTIONS) + ")");
            } else if (key != null) {
                r.error(e.getValue().keyLoc(), Reader.join(path, k), "an action has exactly one action key, and this one already has '" + key + "'");
            } else {
                key = k;
            }
        }
        return Optional.ofNullable(key);
    }

    /** {@code expect: kernel|userspace}, allowed on mmio_write and pio_write only. */
    private GuestAction.ExitExpect exitExpect(YNode.MapNode m, String key, String path) {
        Optional<YNode> ex = Reader.optional(m, "expect");
        if (ex.isEmpty()) {
            return GuestAction.ExitExpect.ANY;
        }
        if (!key.equals("mmio_write") && !key.equals("pio_write")) {
            r.error(m.entries().get("expect").keyLoc(), path + ".expect", "expect: kernel|userspace is only for mmio_write and pio_write");
            return GuestAction.ExitExpect.ANY;
        }
        return r.oneOf(ex.get(), path + ".expect", List.of("kernel", "userspace"))
                .map(s -> s.equals("kernel") ? GuestAction.ExitExpect.KERNEL : GuestAction.ExitExpect.USERSPACE)
                .orElse(GuestAction.ExitExpect.ANY);
    }

    private Optional<GuestAction> write(boolean mmio, Args a, String path, GuestAction.ExitExpect expect, Loc loc) {
        String addrKey = mmio ? "addr" : "port";
        Optional<Long> addr = a.required(addrKey).flatMap(an -> mmio ? r.u64(an, path + ".addr")
                : r.u64(an, path + ".port", 0, 0xFFFF, "a port from 0 to 0xffff"));
        Optional<YNode> ln = a.required("len");
        Optional<Long> len = ln.flatMap(n -> r.u64(n, path + ".len")).filter(v -> {
            List<Long> allowed = mmio ? List.of(1L, 2L, 4L, 8L) : List.of(1L, 2L, 4L);
            if (!allowed.contains(v)) {
                r.error(ln.get().loc(), path + ".len", "a guest " + (mmio ? "store" : "out") + " has len " + (mmio ? "1, 2, 4 or 8" : "1, 2 or 4") + ", got " + Long.toUnsignedString(v));
                return false;
            }
            return true;
        });
        Optional<YNode> vn = a.required("value");
        Optional<Long> value = vn.flatMap(n -> r.u64(n, path + ".value"));
        if (value.isPresent() && len.isPresent() && len.get() < 8 && Long.compareUnsigned(value.get(), (1L << (8 * len.get())) - 1) > 0) {
            r.error(vn.get().loc(), path + ".value", "value 0x" + Long.toHexString(value.get()) + " does not fit in " + len.get() + " byte" + (len.get() == 1 ? "" : "s"));
            value = Optional.empty();
        }
        if (addr.isEmpty() || len.isEmpty() || value.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(mmio ? new GuestAction.MmioWrite(addr.get(), len.get().intValue(), value.get(), expect, loc)
                : new GuestAction.PioWrite(addr.get(), len.get().intValue(), value.get(), expect, loc));
    }

    private Optional<GuestAction> waitIrq(YNode arg, String path, Loc loc) {
        if (arg instanceof YNode.Scalar s && s.type() == YNode.Type.NULL) {
            return Optional.of(new GuestAction.WaitIrq(-1, -1, loc));
        }
        Optional<Args> aa = c.args(arg, path, "a map with vector, timeout (both optional)", List.of("vector", "timeout"));
        if (aa.isEmpty()) {
            return Optional.empty();
        }
        Args a = aa.get();
        Optional<YNode> vn = a.optional("vector");
        Optional<Long> vector = vn.isEmpty() ? Optional.of(-1L) : r.u64(vn.get(), path + ".vector", 0, 255, VECTOR);
        Optional<YNode> tn = a.optional("timeout");
        Optional<Long> timeout = tn.isEmpty() ? Optional.of(-1L) : r.duration(tn.get(), path + ".timeout");
        if (vector.isEmpty() || timeout.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GuestAction.WaitIrq(vector.get().intValue(), timeout.get(), loc));
    }

    private Optional<GuestAction> ioapicRedirect(Args a, String path, Loc loc) {
        Optional<Long> pin = a.reqU64("pin");
        Optional<Long> vector = a.required("vector").flatMap(vn -> r.u64(vn, path + ".vector", 0, 255, VECTOR));
        boolean level = a.optional("trigger").flatMap(tn -> r.oneOf(tn, path + ".trigger", List.of("edge", "level")))
                .filter("level"::equals).isPresent();
        Optional<YNode> dn = a.optional("dest");
        Optional<Long> dest = dn.isEmpty() ? Optional.of(0L) : r.u64(dn.get(), path + ".dest", 0, 255, "an APIC destination from 0 to 255");
        boolean logical = a.optional("dest_mode").flatMap(mn -> r.oneOf(mn, path + ".dest_mode", List.of("physical", "logical")))
                .filter("logical"::equals).isPresent();
        boolean masked = a.optBool("masked");
        if (pin.isEmpty() || vector.isEmpty() || dest.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GuestAction.IoapicRedirect(pin.get(), vector.get(), level, dest.get(), logical, masked, loc));
    }
}
