package dev.kvmsim.scenarios.load;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.scenarios.model.HostStep;
import dev.kvmsim.scenarios.model.StepExpect;

import java.util.List;
import java.util.Optional;

/**
 * Binds a host step's {@code expect}: {@code ok}, {@code blocked}, an errno name,
 * {@code {value: N}} or {@code {errno: E, after: K}}, each allowed only for the actions that can
 * produce it.
 */
final class StepExpectBinder {
    private final Reader r;

    StepExpectBinder(BindContext c) {
        this.r = c.r;
    }

    Optional<StepExpect> bind(YNode n, String path, HostStep.Action action) {
        boolean canBlock = action == HostStep.Action.EVENTFD_READ || action == HostStep.Action.EVENTFD_WRITE;
        boolean hasValue = action == HostStep.Action.EVENTFD_READ || action == HostStep.Action.IRQ_LINE || action == HostStep.Action.SIGNAL_MSI;
        boolean repeats = action == HostStep.Action.IOEVENTFD || action == HostStep.Action.COALESCED_MMIO;
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.STRING) {
            return word(n, s.text(), path, canBlock);
        }
        Optional<YNode.MapNode> mm = r.map(n, path, "ok, blocked, an errno name, {value: N} or {errno: E, after: K}");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        YNode.MapNode m = mm.get();
        if (m.entries().containsKey("value")) {
            r.checkKeys(m, path, List.of("value"));
            if (!hasValue) {
                r.error(m.loc(), path, "{value: N} is only for eventfd_read, irq_line and signal_msi steps");
            }
            Optional<Long> v = r.signed64(Reader.present(m, "value"), path + ".value");
            return v.filter(x -> hasValue).map(StepExpect.Value::new);
        }
        r.checkKeys(m, path, List.of("errno", "after"));
        if (!repeats) {
            r.error(m.loc(), path, "{errno: E, after: K} is only for ioeventfd and coalesced_mmio steps with count");
        }
        Optional<YNode> en = r.required(m, path, "errno");
        Optional<YNode> an = r.required(m, path, "after");
        Optional<Errno> e = en.flatMap(node -> errno(node, path + ".errno"));
        Optional<Long> after = an.flatMap(node -> r.u64(node, path + ".after"));
        if (e.isEmpty() || after.isEmpty() || !repeats) {
            return Optional.empty();
        }
        return Optional.of(new StepExpect.ErrAfter(e.get(), after.get()));
    }

    /** {@code ok}, {@code blocked} or an errno name. */
    private Optional<StepExpect> word(YNode n, String t, String path, boolean canBlock) {
        if (t.equals("ok")) {
            return Optional.of(new StepExpect.Ok());
        }
        if (t.equals("blocked")) {
            if (!canBlock) {
                r.error(n.loc(), path, "'blocked' is only for eventfd_read and eventfd_write steps");
                return Optional.empty();
            }
            return Optional.of(new StepExpect.Blocked());
        }
        Errno e = Errno.byName(t);
        if (e == null) {
            r.error(n.loc(), path, "unknown expected result '" + t + "' (expected ok" + (canBlock ? ", blocked" : "") + ", {value: N} or an errno name: " + errnoNames() + ")");
            return Optional.empty();
        }
        return Optional.of(new StepExpect.Err(e));
    }

    private Optional<Errno> errno(YNode en, String path) {
        Optional<String> t = r.string(en, path);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Errno e = Errno.byName(t.get());
        if (e == null) {
            r.error(en.loc(), path, "unknown errno '" + t.get() + "' (expected one of: " + errnoNames() + ")");
        }
        return Optional.ofNullable(e);
    }

    private static String errnoNames() {
        StringBuilder sb = new StringBuilder();
        for (Errno e : Errno.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(e.name());
        }
        return sb.toString();
    }
}
