package dev.kvmsim.scenarios.load;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Durations;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.scenarios.ScenarioError;
import dev.kvmsim.scenarios.model.Bus;
import dev.kvmsim.scenarios.model.Comparison;
import dev.kvmsim.scenarios.model.EventfdSpec;
import dev.kvmsim.scenarios.model.Expectation;
import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.Loc;
import dev.kvmsim.scenarios.model.RouteEntry;
import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.model.StepExpect;
import dev.kvmsim.scenarios.model.StepMeta;
import dev.kvmsim.scenarios.model.ThreadSpec;
import dev.kvmsim.scenarios.model.VmSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Binds a {@link YNode} tree to a {@link Scenario}, checking structure, types, names and
 * references (docs/scenarios.md "Files and values"). Every error is collected; the scenario is returned
 * only when there are none. Argument values the kernel validates are passed on as written.
 */
public final class ScenarioBinder {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final List<String> TOP = List.of("version", "name", "description", "seed", "until", "vm", "eventfds", "host", "threads", "guest", "expect");
    private static final List<String> VM = List.of("vcpus", "guest_state", "irqchip", "costs", "apicv");
    private static final List<String> EVENTFD = List.of("name", "initial", "flags");
    private static final List<String> THREAD = List.of("name", "kind", "wait", "service", "signal");
    private static final List<String> GUEST = List.of("vcpu", "program");
    /** Exit reasons an {@code exits} expectation may name (VMX basic exit reasons the model produces). */
    public static final List<String> EXIT_REASONS = List.of("EXTERNAL_INTERRUPT", "INTERRUPT_WINDOW", "HLT", "IO_INSTRUCTION",
            "MSR_WRITE", "EOI_INDUCED", "EPT_VIOLATION", "EPT_MISCONFIG", "APIC_WRITE");
    private static final int MAX_VCPUS = 1024;

    private static final String U32 = "a number from 0 to 0xffffffff (the ioctl's field is a __u32)";

    private final Reader r;
    private final String source;
    private final Map<String, Loc> eventfdNames = new LinkedHashMap<>();
    private int vcpus = 1;

    private ScenarioBinder(String file, String source) {
        this.r = new Reader(file);
        this.source = source;
    }

    /** The result of binding: the scenario when {@code errors} is empty. */
    public record Bound(Scenario scenario, List<ScenarioError> errors) {}

    public static Bound bind(YNode root, String file, String source) {
        ScenarioBinder b = new ScenarioBinder(file, source);
        Scenario s = b.scenario(root);
        List<ScenarioError> errors = List.copyOf(b.r.errors());
        return new Bound(errors.isEmpty() ? s : null, errors);
    }

    // ---- top level ----

    private Scenario scenario(YNode root) {
        YNode.MapNode m = r.map(root, "", "a scenario (a map with version, name, ...) at the top level");
        if (m == null) {
            return null;
        }
        r.checkKeys(m, "", TOP);
        YNode v = r.required(m, "", "version");
        int version = 1;
        if (v != null) {
            Long n = r.u64(v, "version");
            if (n != null && n != 1) {
                r.error(v.loc(), "version", "unsupported version " + Long.toUnsignedString(n) + ": the only version is 1");
            }
        }
        String name = null;
        YNode nn = r.required(m, "", "name");
        if (nn != null) {
            name = r.string(nn, "name");
            if (name != null && !NAME.matcher(name).matches()) {
                r.error(nn.loc(), "name", "bad name '" + name + "': expected lowercase letters, digits and '-' ([a-z0-9-]+)");
            }
        }
        String description = "";
        YNode d = Reader.optional(m, "description");
        if (d != null) {
            String s = r.string(d, "description");
            description = s == null ? "" : s;
        }
        long seed = 1;
        YNode sd = Reader.optional(m, "seed");
        if (sd != null) {
            Long s = r.u64(sd, "seed");
            seed = s == null ? 1 : s;
        }
        OptionalLong until = OptionalLong.empty();
        YNode u = Reader.optional(m, "until");
        if (u != null) {
            Long t = r.duration(u, "until");
            if (t != null) {
                until = OptionalLong.of(t);
            }
        }
        YNode vmNode = Reader.optional(m, "vm");
        VmSpec vm = vmNode == null ? VmSpec.defaults() : vm(vmNode);
        List<EventfdSpec> eventfds = eventfds(Reader.optional(m, "eventfds"));
        List<ThreadSpec> threads = threads(Reader.optional(m, "threads"));
        List<HostStep> host = host(Reader.optional(m, "host"));
        List<GuestProgram> guest = guest(Reader.optional(m, "guest"));
        List<Expectation> expect = expectations(Reader.optional(m, "expect"), "expect");
        return new Scenario(source, version, name, description, seed, until, vm, eventfds, host, threads, guest, expect);
    }

    private VmSpec vm(YNode node) {
        VmSpec def = VmSpec.defaults();
        YNode.MapNode m = r.map(node, "vm", "a map (vcpus, guest_state, irqchip, costs)");
        if (m == null) {
            return def;
        }
        r.checkKeys(m, "vm", VM);
        YNode n = Reader.optional(m, "vcpus");
        if (n != null) {
            Long v = r.u64(n, "vm.vcpus", 1, MAX_VCPUS, "a vCPU count from 1 to " + MAX_VCPUS);
            vcpus = v == null ? 1 : v.intValue();
        }
        VmSpec.GuestState gs = def.guestState();
        YNode g = Reader.optional(m, "guest_state");
        if (g != null) {
            String s = r.oneOf(g, "vm.guest_state", List.of("booted", "reset"));
            if (s != null) {
                gs = VmSpec.GuestState.valueOf(s.toUpperCase(java.util.Locale.ROOT));
            }
        }
        VmSpec.Irqchip chip = def.irqchip();
        YNode c = Reader.optional(m, "irqchip");
        if (c != null) {
            String s = r.oneOf(c, "vm.irqchip", List.of("kernel", "split", "none"));
            if (s != null) {
                chip = VmSpec.Irqchip.valueOf(s.toUpperCase(java.util.Locale.ROOT));
            }
        }
        Map<String, String> costs = new TreeMap<>();
        YNode cs = Reader.optional(m, "costs");
        if (cs != null) {
            YNode.MapNode cm = r.map(cs, "vm.costs", "a map of cost names to durations or distributions");
            if (cm != null) {
                for (Map.Entry<String, YNode.Entry> e : cm.entries().entrySet()) {
                    String path = "vm.costs." + e.getKey();
                    Distribution dist = r.distribution(e.getValue().value(), path);
                    if (dist != null) {
                        costs.put(e.getKey(), ((YNode.Scalar) e.getValue().value()).text());
                    }
                    CostNames.check(e.getKey()).ifPresent(msg -> r.error(e.getValue().keyLoc(), path, msg));
                }
            }
        }
        boolean apicv = false;
        YNode a = Reader.optional(m, "apicv");
        if (a != null) {
            Boolean b = r.bool(a, "vm.apicv");
            apicv = b != null && b;
        }
        return new VmSpec(vcpus, gs, chip, costs, apicv);
    }

    // ---- eventfds ----

    private List<EventfdSpec> eventfds(YNode node) {
        List<EventfdSpec> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        YNode.ListNode l = r.list(node, "eventfds", "eventfds");
        if (l == null) {
            return out;
        }
        for (int i = 0; i < l.items().size(); i++) {
            String path = Reader.index("eventfds", i);
            YNode.MapNode m = r.map(l.items().get(i), path, "an eventfd (a map with name, initial, flags)");
            if (m == null) {
                continue;
            }
            r.checkKeys(m, path, EVENTFD);
            String name = null;
            YNode n = r.required(m, path, "name");
            if (n != null) {
                name = r.string(n, path + ".name");
                if (name != null) {
                    if (name.isEmpty() || name.startsWith("@")) {
                        r.error(n.loc(), path + ".name", "bad eventfd name '" + name + "': names may not be empty or start with '@' (reserved for @badfd, @notevent)");
                    } else if (eventfdNames.containsKey(name)) {
                        r.error(n.loc(), path + ".name", "duplicate eventfd name '" + name + "' (first declared at line " + eventfdNames.get(name).line() + ")");
                    } else {
                        eventfdNames.put(name, n.loc());
                    }
                }
            }
            long initial = 0;
            YNode in = Reader.optional(m, "initial");
            if (in != null) {
                Long v = r.u64(in, path + ".initial", 0, 0xFFFF_FFFFL, "an initial count from 0 to 4294967295 (eventfd2 takes an unsigned int)");
                initial = v == null ? 0 : v;
            }
            boolean semaphore = false;
            boolean nonblock = false;
            YNode f = Reader.optional(m, "flags");
            if (f != null) {
                YNode.ListNode fl = r.list(f, path + ".flags", "flags (semaphore, nonblock, cloexec)");
                if (fl != null) {
                    for (int j = 0; j < fl.items().size(); j++) {
                        String flag = r.oneOf(fl.items().get(j), Reader.index(path + ".flags", j), List.of("semaphore", "nonblock", "cloexec"));
                        semaphore |= "semaphore".equals(flag);
                        nonblock |= "nonblock".equals(flag);
                    }
                }
            }
            if (name != null) {
                out.add(new EventfdSpec(name, initial, semaphore, nonblock, m.loc()));
            }
        }
        return out;
    }

    /** An eventfd reference in a step: a declared name, {@code @badfd} or {@code @notevent}. */
    private FdRef fdRef(YNode n, String path, boolean allowSpecial) {
        String name = r.string(n, path);
        if (name == null) {
            return null;
        }
        if (allowSpecial && (FdRef.BADFD.equals(name) || FdRef.NOTEVENT.equals(name))) {
            return FdRef.of(name);
        }
        if (!eventfdNames.containsKey(name)) {
            String declared = eventfdNames.isEmpty() ? "none declared" : "declared: " + String.join(", ", eventfdNames.keySet());
            r.error(n.loc(), path, "unknown eventfd '" + name + "' (" + declared + (allowSpecial ? "; or @badfd, @notevent)" : ")"));
            return null;
        }
        return FdRef.of(name);
    }

    // ---- host steps ----

    private List<HostStep> host(YNode node) {
        List<HostStep> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        YNode.ListNode l = r.list(node, "host", "host steps");
        if (l == null) {
            return out;
        }
        long time = 0;
        for (int i = 0; i < l.items().size(); i++) {
            String path = Reader.index("host", i);
            YNode.MapNode m = r.map(l.items().get(i), path, "a host step (a map with one action key)");
            if (m == null) {
                continue;
            }
            HostStep.Action action = null;
            String actionKey = null;
            for (Map.Entry<String, YNode.Entry> e : m.entries().entrySet()) {
                String k = e.getKey();
                if (k.equals("at") || k.equals("expect")) {
                    continue;
                }
                HostStep.Action a = HostStep.Action.byKey(k);
                if (a == null) {
                    r.error(e.getValue().keyLoc(), Reader.join(path, k), "unknown key (expected one action of: " + actionKeys() + "; or at, expect)");
                } else if (action != null) {
                    r.error(e.getValue().keyLoc(), Reader.join(path, k), "a step has exactly one action, and this one already has '" + actionKey + "'");
                } else {
                    action = a;
                    actionKey = k;
                }
            }
            YNode at = Reader.optional(m, "at");
            if (at != null) {
                Long t = r.duration(at, path + ".at");
                if (t != null) {
                    if (t < time) {
                        r.error(at.loc(), path + ".at", "time " + Durations.format(t) + " is earlier than the previous step's time " + Durations.format(time) + " (steps are in time order)");
                    } else {
                        time = t;
                    }
                }
            }
            if (action == null) {
                if (m.entries().keySet().stream().allMatch(k -> k.equals("at") || k.equals("expect"))) {
                    r.error(m.loc(), path, "missing the action: expected one of " + actionKeys());
                }
                continue;
            }
            Optional<StepExpect> expect = Optional.empty();
            YNode ex = Reader.optional(m, "expect");
            if (ex != null) {
                expect = Optional.ofNullable(stepExpect(ex, path + ".expect", action));
            }
            StepMeta meta = new StepMeta(i, m.loc(), time, expect);
            HostStep step = step(action, meta, Reader.optional(m, actionKey), Reader.join(path, actionKey));
            if (step != null) {
                out.add(step);
            }
        }
        return out;
    }

    private static String actionKeys() {
        StringBuilder sb = new StringBuilder();
        for (HostStep.Action a : HostStep.Action.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.key());
        }
        return sb.toString();
    }

    private StepExpect stepExpect(YNode n, String path, HostStep.Action action) {
        boolean canBlock = action == HostStep.Action.EVENTFD_READ || action == HostStep.Action.EVENTFD_WRITE;
        boolean hasValue = action == HostStep.Action.EVENTFD_READ || action == HostStep.Action.IRQ_LINE || action == HostStep.Action.SIGNAL_MSI;
        boolean repeats = action == HostStep.Action.IOEVENTFD || action == HostStep.Action.COALESCED_MMIO;
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.STRING) {
            String t = s.text();
            if (t.equals("ok")) {
                return new StepExpect.Ok();
            }
            if (t.equals("blocked")) {
                if (!canBlock) {
                    r.error(n.loc(), path, "'blocked' is only for eventfd_read and eventfd_write steps");
                    return null;
                }
                return new StepExpect.Blocked();
            }
            Errno e = Errno.byName(t);
            if (e == null) {
                r.error(n.loc(), path, "unknown expected result '" + t + "' (expected ok" + (canBlock ? ", blocked" : "") + ", {value: N} or an errno name: " + errnoNames() + ")");
                return null;
            }
            return new StepExpect.Err(e);
        }
        YNode.MapNode m = r.map(n, path, "ok, blocked, an errno name, {value: N} or {errno: E, after: K}");
        if (m == null) {
            return null;
        }
        if (m.entries().containsKey("value")) {
            r.checkKeys(m, path, List.of("value"));
            if (!hasValue) {
                r.error(m.loc(), path, "{value: N} is only for eventfd_read, irq_line and signal_msi steps");
            }
            Long v = r.signed64(Reader.optional(m, "value"), path + ".value");
            return v == null || !hasValue ? null : new StepExpect.Value(v);
        }
        r.checkKeys(m, path, List.of("errno", "after"));
        if (!repeats) {
            r.error(m.loc(), path, "{errno: E, after: K} is only for ioeventfd and coalesced_mmio steps with count");
        }
        YNode en = r.required(m, path, "errno");
        YNode an = r.required(m, path, "after");
        Errno e = null;
        if (en != null) {
            String t = r.string(en, path + ".errno");
            if (t != null) {
                e = Errno.byName(t);
                if (e == null) {
                    r.error(en.loc(), path + ".errno", "unknown errno '" + t + "' (expected one of: " + errnoNames() + ")");
                }
            }
        }
        Long after = an == null ? null : r.u64(an, path + ".after");
        return e == null || after == null || !repeats ? null : new StepExpect.ErrAfter(e, after);
    }

    private static String errnoNames() {
        StringBuilder sb = new StringBuilder();
        for (Errno e : Errno.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.name());
        }
        return sb.toString();
    }

    private HostStep step(HostStep.Action action, StepMeta meta, YNode arg, String path) {
        return switch (action) {
            case IOEVENTFD -> ioeventfd(meta, arg, path);
            case IRQFD -> irqfd(meta, arg, path);
            case GSI_ROUTING -> gsiRouting(meta, arg, path);
            case EVENTFD_WRITE -> {
                Args a = args(arg, path, "an eventfd_write (a map with eventfd, value)", List.of("eventfd", "value"));
                if (a == null) {
                    yield null;
                }
                FdRef fd = a.fd("eventfd", true);
                Long value = a.reqU64("value");
                yield fd == null || value == null ? null : new HostStep.EventfdWrite(meta, fd, value);
            }
            case EVENTFD_READ -> {
                FdRef fd = fdArg(arg, path, List.of("eventfd"));
                yield fd == null ? null : new HostStep.EventfdRead(meta, fd);
            }
            case EVENTFD_SIGNAL -> {
                if (arg instanceof YNode.Scalar) {
                    FdRef fd = fdRef(arg, path, true);
                    yield fd == null ? null : new HostStep.EventfdSignal(meta, fd, 1);
                }
                Args a = args(arg, path, "an eventfd_signal (an eventfd name, or a map with eventfd, n)", List.of("eventfd", "n"));
                if (a == null) {
                    yield null;
                }
                FdRef fd = a.fd("eventfd", true);
                long n = a.optU64("n", 1);
                yield fd == null ? null : new HostStep.EventfdSignal(meta, fd, n);
            }
            case CLOSE -> {
                FdRef fd = fdArg(arg, path, List.of("eventfd"));
                yield fd == null ? null : new HostStep.Close(meta, fd);
            }
            case IRQ_LINE -> {
                Args a = args(arg, path, "an irq_line (a map with irq, level)", List.of("irq", "level"));
                if (a == null) {
                    yield null;
                }
                Long irq = a.reqU32("irq");
                Long level = a.reqU32("level");
                yield irq == null || level == null ? null : new HostStep.IrqLine(meta, irq, level);
            }
            case SIGNAL_MSI -> {
                Args a = args(arg, path, "a signal_msi (a map with address, address_hi, data, flags)", List.of("address", "address_hi", "data", "flags"));
                if (a == null) {
                    yield null;
                }
                Long addr = a.reqU32("address");
                long hi = a.optU32("address_hi", 0);
                Long data = a.reqU32("data");
                long flags = a.optU32("flags", 0);
                yield addr == null || data == null ? null : new HostStep.SignalMsi(meta, addr, hi, data, flags);
            }
            case COALESCED_MMIO -> {
                Args a = args(arg, path, "a coalesced_mmio (a map with bus, addr, size)", List.of("bus", "addr", "size", "count", "stride"));
                if (a == null) {
                    yield null;
                }
                Bus bus = Bus.MMIO;
                YNode b = Reader.optional(a.m, "bus");
                if (b != null) {
                    String s = r.oneOf(b, path + ".bus", List.of("mmio", "pio"));
                    bus = s == null ? null : Bus.byYamlName(s);
                }
                Long addr = a.reqU64("addr");
                Long size = a.reqU32("size");
                long count = a.count();
                long stride = a.optU64("stride", size == null || size == 0 ? 1 : size);
                yield bus == null || addr == null || size == null ? null : new HostStep.CoalescedMmio(meta, bus, addr, size, count, stride);
            }
            case CHECK -> {
                List<Expectation> list = expectations(arg, path);
                yield new HostStep.Check(meta, list);
            }
        };
    }

    private HostStep ioeventfd(StepMeta meta, YNode arg, String path) {
        Args a = args(arg, path, "an ioeventfd (a map with eventfd, bus, addr, len, ...)",
                List.of("eventfd", "bus", "addr", "len", "datamatch", "deassign", "flags", "count", "stride"));
        if (a == null) {
            return null;
        }
        FdRef fd = a.fd("eventfd", true);
        Bus bus = Bus.MMIO;
        YNode b = Reader.optional(a.m, "bus");
        if (b != null) {
            String s = r.oneOf(b, path + ".bus", List.of("mmio", "pio", "virtio-ccw"));
            bus = s == null ? null : Bus.byYamlName(s);
        }
        Long addr = a.reqU64("addr");
        Long len = a.reqU32("len");
        YNode dm = Reader.optional(a.m, "datamatch");
        Long datamatch = dm == null ? Long.valueOf(0) : r.u64(dm, path + ".datamatch");
        boolean deassign = a.optBool("deassign");
        long flags = a.optU32("flags", 0);
        long count = a.count();
        long stride = a.optU64("stride", len == null || len == 0 ? 1 : len);
        if (fd == null || bus == null || addr == null || len == null || datamatch == null) {
            return null;
        }
        return new HostStep.Ioeventfd(meta, fd, bus, addr, len, dm != null, datamatch, deassign, flags, count, stride);
    }

    private HostStep irqfd(StepMeta meta, YNode arg, String path) {
        Args a = args(arg, path, "an irqfd (a map with eventfd, gsi, resample, deassign, flags)", List.of("eventfd", "gsi", "resample", "deassign", "flags"));
        if (a == null) {
            return null;
        }
        FdRef fd = a.fd("eventfd", true);
        Long gsi = a.reqU32("gsi");
        FdRef resample = null;
        YNode rs = Reader.optional(a.m, "resample");
        if (rs != null) {
            resample = fdRef(rs, path + ".resample", true);
            if (resample == null) {
                return null;
            }
        }
        boolean deassign = a.optBool("deassign");
        long flags = a.optU32("flags", 0);
        return fd == null || gsi == null ? null : new HostStep.Irqfd(meta, fd, gsi, resample, deassign, flags);
    }

    private HostStep gsiRouting(StepMeta meta, YNode arg, String path) {
        YNode.ListNode l = r.list(arg, path, "routing entries ({gsi, msi: {...}} or {gsi, irqchip, pin})");
        if (l == null) {
            return null;
        }
        List<RouteEntry> entries = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < l.items().size(); i++) {
            RouteEntry e = routeEntry(l.items().get(i), Reader.index(path, i));
            ok &= e != null;
            if (e != null) {
                entries.add(e);
            }
        }
        return ok ? new HostStep.GsiRouting(meta, entries) : null;
    }

    private RouteEntry routeEntry(YNode n, String path) {
        Args a = args(n, path, "a routing entry ({gsi, msi: {address, data}} or {gsi, irqchip, pin})", List.of("gsi", "msi", "irqchip", "pin", "flags", "count"));
        if (a == null) {
            return null;
        }
        Long gsi = a.reqU32("gsi");
        long flags = a.optU32("flags", 0);
        long count = a.count();
        YNode msi = Reader.optional(a.m, "msi");
        YNode chip = Reader.optional(a.m, "irqchip");
        if (msi != null && chip != null) {
            r.error(a.m.loc(), path, "an entry is either msi or irqchip, not both");
            return null;
        }
        if (msi == null && chip == null) {
            r.error(a.m.loc(), path, "missing the entry's type: expected msi: {address, data} or irqchip with pin");
            return null;
        }
        if (msi != null) {
            if (Reader.optional(a.m, "pin") != null) {
                r.error(a.m.entries().get("pin").keyLoc(), path + ".pin", "pin belongs to irqchip entries, not msi");
            }
            Args ma = args(msi, path + ".msi", "an MSI (a map with address, address_hi, data)", List.of("address", "address_hi", "data"));
            if (ma == null) {
                return null;
            }
            Long addr = ma.reqU32("address");
            long hi = ma.optU32("address_hi", 0);
            Long data = ma.reqU32("data");
            return gsi == null || addr == null || data == null ? null : new RouteEntry.Msi(gsi, addr, hi, data, flags, count, a.m.loc());
        }
        Long chipNr = null;
        if (chip instanceof YNode.Scalar s && s.type() == YNode.Type.STRING && Reader.parseUnsigned(s.text().strip()) == null) {
            switch (s.text()) {
                case "pic-master" -> chipNr = RouteEntry.Irqchip.PIC_MASTER;
                case "pic-slave" -> chipNr = RouteEntry.Irqchip.PIC_SLAVE;
                case "ioapic" -> chipNr = RouteEntry.Irqchip.IOAPIC;
                default -> r.error(chip.loc(), path + ".irqchip", "expected pic-master, pic-slave, ioapic or a chip number, got '" + s.text() + "'");
            }
        } else {
            chipNr = r.u64(chip, path + ".irqchip", 0, 0xFFFF_FFFFL, U32);
        }
        Long pin = a.reqU32("pin");
        return gsi == null || chipNr == null || pin == null ? null : new RouteEntry.Irqchip(gsi, chipNr, pin, flags, count, a.m.loc());
    }

    /** {@code close: kick0}, {@code eventfd_read: kick0} or the map form {@code {eventfd: kick0}}. */
    private FdRef fdArg(YNode arg, String path, List<String> keys) {
        if (arg instanceof YNode.Scalar) {
            return fdRef(arg, path, true);
        }
        Args a = args(arg, path, "an eventfd name or a map with eventfd", keys);
        return a == null ? null : a.fd("eventfd", true);
    }

    private Args args(YNode n, String path, String what, List<String> keys) {
        YNode.MapNode m = r.map(n, path, what);
        if (m == null) {
            return null;
        }
        r.checkKeys(m, path, keys);
        return new Args(m, path);
    }

    /** A step's argument map with typed accessors that report under the step's path. */
    private final class Args {
        final YNode.MapNode m;
        final String path;

        Args(YNode.MapNode m, String path) {
            this.m = m;
            this.path = path;
        }

        FdRef fd(String key, boolean allowSpecial) {
            YNode n = r.required(m, path, key);
            return n == null ? null : fdRef(n, path + "." + key, allowSpecial);
        }

        Long reqU64(String key) {
            YNode n = r.required(m, path, key);
            return n == null ? null : r.u64(n, path + "." + key);
        }

        /** A field the ioctl's struct declares {@code __u32}: wider values cannot be passed. */
        Long reqU32(String key) {
            YNode n = r.required(m, path, key);
            return n == null ? null : r.u64(n, path + "." + key, 0, 0xFFFF_FFFFL, U32);
        }

        long optU32(String key, long def) {
            YNode n = Reader.optional(m, key);
            if (n == null) {
                return def;
            }
            Long v = r.u64(n, path + "." + key, 0, 0xFFFF_FFFFL, U32);
            return v == null ? def : v;
        }

        long optU64(String key, long def) {
            YNode n = Reader.optional(m, key);
            if (n == null) {
                return def;
            }
            Long v = r.u64(n, path + "." + key);
            return v == null ? def : v;
        }

        boolean optBool(String key) {
            YNode n = Reader.optional(m, key);
            if (n == null) {
                return false;
            }
            Boolean b = r.bool(n, path + "." + key);
            return b != null && b;
        }

        long count() {
            YNode n = Reader.optional(m, "count");
            if (n == null) {
                return 1;
            }
            Long v = r.u64(n, path + ".count", 1, 1_000_000, "a count from 1 to 1000000");
            return v == null ? 1 : v;
        }
    }

    // ---- threads ----

    private List<ThreadSpec> threads(YNode node) {
        List<ThreadSpec> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        YNode.ListNode l = r.list(node, "threads", "host threads");
        if (l == null) {
            return out;
        }
        Map<String, Loc> names = threadNames;
        for (int i = 0; i < l.items().size(); i++) {
            String path = Reader.index("threads", i);
            Args a = args(l.items().get(i), path, "a host thread (a map with name, kind, wait, service, signal)", THREAD);
            if (a == null) {
                continue;
            }
            YNode nn = r.required(a.m, path, "name");
            String name = nn == null ? null : r.string(nn, path + ".name");
            if (name != null) {
                if (names.containsKey(name)) {
                    r.error(nn.loc(), path + ".name", "duplicate thread name '" + name + "' (first declared at line " + names.get(name).line() + ")");
                } else {
                    names.put(name, nn.loc());
                }
            }
            YNode kn = r.required(a.m, path, "kind");
            String kind = kn == null ? null : r.oneOf(kn, path + ".kind", List.of("vhost", "iothread"));
            FdRef wait = a.fd("wait", false);
            YNode sn = r.required(a.m, path, "service");
            Distribution service = sn == null ? null : r.distribution(sn, path + ".service");
            FdRef signal = null;
            YNode sig = Reader.optional(a.m, "signal");
            if (sig != null) {
                signal = fdRef(sig, path + ".signal", false);
                if (signal == null) {
                    continue;
                }
            }
            if (name != null && kind != null && wait != null && service != null) {
                out.add(new ThreadSpec(name, ThreadSpec.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT)), wait.name(), service,
                        ((YNode.Scalar) sn).text(), signal == null ? null : signal.name(), a.m.loc()));
            }
        }
        return out;
    }

    // ---- guest programs ----

    private List<GuestProgram> guest(YNode node) {
        List<GuestProgram> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        YNode.ListNode l = r.list(node, "guest", "guest programs");
        if (l == null) {
            return out;
        }
        Map<Integer, Loc> seen = new HashMap<>();
        for (int i = 0; i < l.items().size(); i++) {
            String path = Reader.index("guest", i);
            Args a = args(l.items().get(i), path, "a guest program (a map with vcpu, program)", GUEST);
            if (a == null) {
                continue;
            }
            YNode vn = r.required(a.m, path, "vcpu");
            Integer vcpu = vn == null ? null : vcpuIndex(vn, path + ".vcpu");
            if (vcpu != null) {
                if (seen.containsKey(vcpu)) {
                    r.error(vn.loc(), path + ".vcpu", "duplicate program for vCPU " + vcpu + " (first at line " + seen.get(vcpu).line() + ")");
                } else {
                    seen.put(vcpu, vn.loc());
                }
            }
            YNode pn = r.required(a.m, path, "program");
            List<GuestAction> program = pn == null ? null : actions(pn, path + ".program");
            if (vcpu != null && program != null) {
                out.add(new GuestProgram(vcpu, program, a.m.loc()));
            }
        }
        return out;
    }

    private final Map<String, Loc> threadNames = new HashMap<>();

    private Integer vcpuIndex(YNode n, String path) {
        Long v = r.u64(n, path);
        if (v == null) {
            return null;
        }
        if (Long.compareUnsigned(v, vcpus) >= 0) {
            r.error(n.loc(), path, "vCPU index " + Long.toUnsignedString(v) + " is not below vm.vcpus (" + vcpus + ")");
            return null;
        }
        return v.intValue();
    }

    private static final List<String> GUEST_ACTIONS = List.of("compute", "mmio_write", "pio_write", "wait_irq", "wait_until", "cli", "sti", "ioapic_redirect", "repeat");

    private List<GuestAction> actions(YNode node, String path) {
        YNode.ListNode l = r.list(node, path, "guest actions");
        if (l == null) {
            return null;
        }
        List<GuestAction> out = new ArrayList<>();
        for (int i = 0; i < l.items().size(); i++) {
            GuestAction a = action(l.items().get(i), Reader.index(path, i));
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private GuestAction action(YNode n, String path) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.STRING) {
            switch (s.text()) {
                case "cli":
                    return new GuestAction.Cli(n.loc());
                case "sti":
                    return new GuestAction.Sti(n.loc());
                case "wait_irq":
                    return new GuestAction.WaitIrq(-1, -1, n.loc());
                default:
                    r.error(n.loc(), path, "unknown guest action '" + s.text() + "' (bare actions are cli, sti, wait_irq; others are maps: " + String.join(", ", GUEST_ACTIONS) + ")");
                    return null;
            }
        }
        YNode.MapNode m = r.map(n, path, "a guest action (cli, sti, or a map with one of: " + String.join(", ", GUEST_ACTIONS) + ")");
        if (m == null) {
            return null;
        }
        String key = null;
        for (Map.Entry<String, YNode.Entry> e : m.entries().entrySet()) {
            String k = e.getKey();
            if (k.equals("expect") || (k.equals("do") && m.entries().containsKey("repeat"))) {
                continue;
            }
            if (!GUEST_ACTIONS.contains(k)) {
                r.error(e.getValue().keyLoc(), Reader.join(path, k), "unknown key (expected one action of: " + String.join(", ", GUEST_ACTIONS) + ")");
            } else if (key != null) {
                r.error(e.getValue().keyLoc(), Reader.join(path, k), "an action has exactly one action key, and this one already has '" + key + "'");
            } else {
                key = k;
            }
        }
        if (key == null) {
            if (m.entries().keySet().stream().allMatch(k -> k.equals("expect") || k.equals("do"))) {
                r.error(m.loc(), path, "missing the action: expected one of " + String.join(", ", GUEST_ACTIONS));
            }
            return null;
        }
        YNode arg = Reader.optional(m, key);
        String ap = Reader.join(path, key);
        GuestAction.ExitExpect expect = GuestAction.ExitExpect.ANY;
        YNode ex = Reader.optional(m, "expect");
        if (ex != null) {
            if (!key.equals("mmio_write") && !key.equals("pio_write")) {
                r.error(m.entries().get("expect").keyLoc(), path + ".expect", "expect: kernel|userspace is only for mmio_write and pio_write");
            } else {
                String s = r.oneOf(ex, path + ".expect", List.of("kernel", "userspace"));
                if (s != null) {
                    expect = s.equals("kernel") ? GuestAction.ExitExpect.KERNEL : GuestAction.ExitExpect.USERSPACE;
                }
            }
        }
        switch (key) {
            case "compute": {
                Long ns = r.duration(arg, ap);
                return ns == null ? null : new GuestAction.Compute(ns, m.loc());
            }
            case "wait_until": {
                Long ns = r.duration(arg, ap);
                return ns == null ? null : new GuestAction.WaitUntil(ns, m.loc());
            }
            case "cli":
            case "sti":
                r.error(m.loc(), path, key + " is written as a bare list item: - " + key);
                return null;
            case "mmio_write":
            case "pio_write":
                return write(key, arg, ap, expect, m.loc());
            case "wait_irq":
                return waitIrq(arg, ap, m.loc());
            case "ioapic_redirect":
                return ioapicRedirect(arg, ap, m.loc());
            case "repeat": {
                Long times = r.u64(arg, ap);
                YNode body = r.required(m, path, "do");
                List<GuestAction> actions = body == null ? null : actions(body, path + ".do");
                return times == null || actions == null ? null : new GuestAction.Repeat(times, actions, m.loc());
            }
            default:
                throw new IllegalStateException(key);
        }
    }

    private GuestAction write(String key, YNode arg, String path, GuestAction.ExitExpect expect, Loc loc) {
        boolean mmio = key.equals("mmio_write");
        String addrKey = mmio ? "addr" : "port";
        Args a = args(arg, path, "a map with " + addrKey + ", len, value", List.of(addrKey, "len", "value"));
        if (a == null) {
            return null;
        }
        YNode an = r.required(a.m, path, addrKey);
        Long addr = an == null ? null : mmio ? r.u64(an, path + ".addr") : r.u64(an, path + ".port", 0, 0xFFFF, "a port from 0 to 0xffff");
        YNode ln = r.required(a.m, path, "len");
        Long len = null;
        if (ln != null) {
            Long v = r.u64(ln, path + ".len");
            List<Long> allowed = mmio ? List.of(1L, 2L, 4L, 8L) : List.of(1L, 2L, 4L);
            if (v != null && !allowed.contains(v)) {
                r.error(ln.loc(), path + ".len", "a guest " + (mmio ? "store" : "out") + " has len " + (mmio ? "1, 2, 4 or 8" : "1, 2 or 4") + ", got " + Long.toUnsignedString(v));
            } else {
                len = v;
            }
        }
        YNode vn = r.required(a.m, path, "value");
        Long value = vn == null ? null : r.u64(vn, path + ".value");
        if (value != null && len != null && len < 8 && Long.compareUnsigned(value, (1L << (8 * len)) - 1) > 0) {
            r.error(vn.loc(), path + ".value", "value 0x" + Long.toHexString(value) + " does not fit in " + len + " byte" + (len == 1 ? "" : "s"));
            value = null;
        }
        if (addr == null || len == null || value == null) {
            return null;
        }
        return mmio ? new GuestAction.MmioWrite(addr, len.intValue(), value, expect, loc)
                : new GuestAction.PioWrite(addr, len.intValue(), value, expect, loc);
    }

    private GuestAction waitIrq(YNode arg, String path, Loc loc) {
        if (arg instanceof YNode.Scalar s && s.type() == YNode.Type.NULL) {
            return new GuestAction.WaitIrq(-1, -1, loc);
        }
        Args a = args(arg, path, "a map with vector, timeout (both optional)", List.of("vector", "timeout"));
        if (a == null) {
            return null;
        }
        YNode vn = Reader.optional(a.m, "vector");
        Long vector = vn == null ? Long.valueOf(-1) : r.u64(vn, path + ".vector", 0, 255, "a vector from 0 to 255");
        YNode tn = Reader.optional(a.m, "timeout");
        Long timeout = tn == null ? Long.valueOf(-1) : r.duration(tn, path + ".timeout");
        return vector == null || timeout == null ? null : new GuestAction.WaitIrq(vector.intValue(), timeout, loc);
    }

    private GuestAction ioapicRedirect(YNode arg, String path, Loc loc) {
        Args a = args(arg, path, "a map with pin, vector, trigger, dest, dest_mode, masked",
                List.of("pin", "vector", "trigger", "dest", "dest_mode", "masked"));
        if (a == null) {
            return null;
        }
        Long pin = a.reqU64("pin");
        YNode vn = r.required(a.m, path, "vector");
        Long vector = vn == null ? null : r.u64(vn, path + ".vector", 0, 255, "a vector from 0 to 255");
        boolean level = false;
        YNode tn = Reader.optional(a.m, "trigger");
        if (tn != null) {
            level = "level".equals(r.oneOf(tn, path + ".trigger", List.of("edge", "level")));
        }
        YNode dn = Reader.optional(a.m, "dest");
        Long dest = dn == null ? Long.valueOf(0) : r.u64(dn, path + ".dest", 0, 255, "an APIC destination from 0 to 255");
        boolean logical = false;
        YNode mn = Reader.optional(a.m, "dest_mode");
        if (mn != null) {
            logical = "logical".equals(r.oneOf(mn, path + ".dest_mode", List.of("physical", "logical")));
        }
        boolean masked = a.optBool("masked");
        if (pin == null || vector == null || dest == null) {
            return null;
        }
        return new GuestAction.IoapicRedirect(pin, vector, level, dest, logical, masked, loc);
    }

    // ---- expectations ----

    private static final List<String> EXPECT_KINDS = List.of("eventfd", "vcpu", "exits", "userspace_exits", "latency", "thread");
    private static final List<String> LATENCY_STATS = List.of("p50", "p90", "p99", "max", "mean", "min", "count");

    private List<Expectation> expectations(YNode node, String path) {
        List<Expectation> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        YNode.ListNode l = r.list(node, path, "expectations");
        if (l == null) {
            return out;
        }
        for (int i = 0; i < l.items().size(); i++) {
            Expectation e = expectation(l.items().get(i), Reader.index(path, i));
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private Expectation expectation(YNode n, String path) {
        YNode.MapNode m = r.map(n, path, "an expectation (a map with one of: " + String.join(", ", EXPECT_KINDS) + ")");
        if (m == null) {
            return null;
        }
        String kind = null;
        for (String k : EXPECT_KINDS) {
            if (m.entries().containsKey(k)) {
                kind = k;
                break;
            }
        }
        if (kind == null) {
            r.error(m.loc(), path, "expected one of: " + String.join(", ", EXPECT_KINDS));
            return null;
        }
        switch (kind) {
            case "eventfd": {
                r.checkKeys(m, path, List.of("eventfd", "counter", "signals"));
                FdRef fd = fdRef(Reader.optional(m, "eventfd"), path + ".eventfd", false);
                YNode c = Reader.optional(m, "counter");
                YNode s = Reader.optional(m, "signals");
                if (c == null && s == null) {
                    r.error(m.loc(), path, "expected counter or signals (or both)");
                    return null;
                }
                Comparison counter = c == null ? null : r.comparison(c, path + ".counter", false);
                Comparison signals = s == null ? null : r.comparison(s, path + ".signals", false);
                if (fd == null || (c != null && counter == null) || (s != null && signals == null)) {
                    return null;
                }
                return new Expectation.Eventfd(fd.name(), counter, signals, m.loc());
            }
            case "vcpu": {
                r.checkKeys(m, path, List.of("vcpu", "vector", "delivered"));
                Integer vcpu = vcpuIndex(Reader.optional(m, "vcpu"), path + ".vcpu");
                YNode vn = Reader.optional(m, "vector");
                Long vector = vn == null ? Long.valueOf(-1) : r.u64(vn, path + ".vector", 0, 255, "a vector from 0 to 255");
                YNode dn = r.required(m, path, "delivered");
                Comparison delivered = dn == null ? null : r.comparison(dn, path + ".delivered", false);
                return vcpu == null || vector == null || delivered == null ? null
                        : new Expectation.Vcpu(vcpu, vector.intValue(), delivered, m.loc());
            }
            case "exits": {
                r.checkKeys(m, path, List.of("exits"));
                String p = path + ".exits";
                Args a = args(Reader.optional(m, "exits"), p, "a map with vcpu, reason, count", List.of("vcpu", "reason", "count"));
                if (a == null) {
                    return null;
                }
                YNode vn = Reader.optional(a.m, "vcpu");
                Integer vcpu = vn == null ? Integer.valueOf(-1) : vcpuIndex(vn, p + ".vcpu");
                YNode rn = Reader.optional(a.m, "reason");
                String reason = rn == null ? null : r.oneOf(rn, p + ".reason", EXIT_REASONS);
                YNode cn = r.required(a.m, p, "count");
                Comparison count = cn == null ? null : r.comparison(cn, p + ".count", false);
                return vcpu == null || (rn != null && reason == null) || count == null ? null
                        : new Expectation.Exits(vcpu, reason, count, m.loc());
            }
            case "userspace_exits": {
                r.checkKeys(m, path, List.of("userspace_exits"));
                String p = path + ".userspace_exits";
                Args a = args(Reader.optional(m, "userspace_exits"), p, "a map with kind, addr, len, data, count", List.of("kind", "addr", "len", "data", "count"));
                if (a == null) {
                    return null;
                }
                YNode kn = Reader.optional(a.m, "kind");
                String k = kn == null ? null : r.oneOf(kn, p + ".kind", List.of("mmio", "io", "ioapic_eoi"));
                YNode an = Reader.optional(a.m, "addr");
                YNode ln = Reader.optional(a.m, "len");
                YNode dn = Reader.optional(a.m, "data");
                Long addr = an == null ? Long.valueOf(0) : r.u64(an, p + ".addr");
                Long len = ln == null ? Long.valueOf(0) : r.u64(ln, p + ".len");
                Long data = dn == null ? Long.valueOf(0) : r.u64(dn, p + ".data");
                YNode cn = r.required(a.m, p, "count");
                Comparison count = cn == null ? null : r.comparison(cn, p + ".count", false);
                if ((kn != null && k == null) || addr == null || len == null || data == null || count == null) {
                    return null;
                }
                return new Expectation.UserspaceExits(k, an != null, addr, ln != null, len, dn != null, data, count, m.loc());
            }
            case "thread": {
                r.checkKeys(m, path, List.of("thread", "wakeups", "services"));
                String name = r.string(Reader.optional(m, "thread"), path + ".thread");
                if (name != null && !threadNames.containsKey(name)) {
                    r.error(m.entries().get("thread").value().loc(), path + ".thread", "unknown thread '" + name + "' (declared: "
                            + (threadNames.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(threadNames.keySet()))) + ")");
                    name = null;
                }
                YNode wn = Reader.optional(m, "wakeups");
                YNode sn = Reader.optional(m, "services");
                if (wn == null && sn == null) {
                    r.error(m.loc(), path, "expected wakeups or services (or both)");
                    return null;
                }
                Comparison w = wn == null ? null : r.comparison(wn, path + ".wakeups", false);
                Comparison sv = sn == null ? null : r.comparison(sn, path + ".services", false);
                if (name == null || (wn != null && w == null) || (sn != null && sv == null)) {
                    return null;
                }
                return new Expectation.Thread(name, w, sv, m.loc());
            }
            case "latency": {
                r.checkKeys(m, path, List.of("latency"));
                String p = path + ".latency";
                List<String> keys = new ArrayList<>(List.of("metric"));
                keys.addAll(LATENCY_STATS);
                Args a = args(Reader.optional(m, "latency"), p, "a map with metric and p50, p90, p99, max, mean", keys);
                if (a == null) {
                    return null;
                }
                YNode mn = r.required(a.m, p, "metric");
                String metric = mn == null ? null : r.string(mn, p + ".metric");
                Map<String, Comparison> stats = new LinkedHashMap<>();
                boolean ok = true;
                for (String st : LATENCY_STATS) {
                    YNode sn = Reader.optional(a.m, st);
                    if (sn != null) {
                        Comparison c = r.comparison(sn, p + "." + st, !st.equals("count"));
                        ok &= c != null;
                        if (c != null) {
                            stats.put(st, c);
                        }
                    }
                }
                if (stats.isEmpty() && ok) {
                    r.error(a.m.loc(), p, "expected at least one of: " + String.join(", ", LATENCY_STATS));
                    return null;
                }
                return metric == null || !ok ? null : new Expectation.Latency(metric, stats, m.loc());
            }
            default:
                throw new IllegalStateException(kind);
        }
    }

    /** For messages that list allowed values. */
    static String list(Object[] values) {
        return String.join(", ", Arrays.stream(values).map(String::valueOf).toList());
    }
}
