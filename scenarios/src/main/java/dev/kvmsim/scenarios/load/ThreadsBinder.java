package dev.kvmsim.scenarios.load;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.ThreadSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Binds the {@code threads} section (host threads) and declares each name in the context. */
final class ThreadsBinder {
    private static final List<String> KEYS = List.of("name", "kind", "wait", "service", "signal",
            "busyloop_timeout", "poll_max_ns", "poll_grow", "poll_shrink", "cpus");

    private final BindContext c;
    private final Reader r;

    ThreadsBinder(BindContext c) {
        this.c = c;
        this.r = c.r;
    }

    List<ThreadSpec> bind(Optional<YNode> node) {
        List<ThreadSpec> out = new ArrayList<>();
        node.flatMap(n -> r.list(n, "threads", "host threads")).ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                String path = Reader.index("threads", i);
                c.args(l.items().get(i), path, "a host thread (a map with name, kind, wait, service, signal)", KEYS)
                        .flatMap(a -> thread(a, path))
                        .ifPresent(out::add);
            }
        });
        return out;
    }

    private Optional<ThreadSpec> thread(Args a, String path) {
        Optional<String> name = a.required("name").flatMap(nn -> declare(nn, path + ".name"));
        Optional<String> kind = a.required("kind").flatMap(kn -> r.oneOf(kn, path + ".kind", List.of("vhost", "iothread")));
        Optional<FdRef> wait = a.fd("wait", false);
        Optional<YNode> sn = a.required("service");
        Optional<Distribution> service = sn.flatMap(n -> r.distribution(n, path + ".service"));
        Optional<YNode> sig = a.optional("signal");
        Optional<FdRef> signal = sig.flatMap(n -> c.fdRef(n, path + ".signal", false));
        if (sig.isPresent() && signal.isEmpty()) {
            return Optional.empty();
        }
        if (name.isEmpty() || kind.isEmpty() || wait.isEmpty() || service.isEmpty()) {
            return Optional.empty();
        }
        ThreadSpec.Kind k = ThreadSpec.Kind.valueOf(kind.get().toUpperCase(Locale.ROOT));
        Optional<ThreadSpec.Polling> polling = polling(a, path, k);
        if (polling.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ThreadSpec(name.get(), k, wait.get().name(),
                service.get(), ((YNode.Scalar) sn.get()).text(), signal.map(FdRef::name).orElse(null), a.m.loc(), polling.get()));
    }

    /**
     * The polling knobs: {@code busyloop_timeout} (a duration; vhost only: VHOST_SET_VRING_BUSYLOOP_TIMEOUT)
     * and {@code poll_max_ns} (a duration or ns), {@code poll_grow}, {@code poll_shrink} (iothread only: QEMU's IOThread properties).
     */
    private Optional<ThreadSpec.Polling> polling(Args a, String path, ThreadSpec.Kind kind) {
        ThreadSpec.Polling d = ThreadSpec.Polling.defaults(kind);
        boolean ok = true;
        for (String k : kind == ThreadSpec.Kind.VHOST ? List.of("poll_max_ns", "poll_grow", "poll_shrink") : List.of("busyloop_timeout")) {
            Optional<YNode> n = a.optional(k);
            if (n.isPresent()) {
                r.error(n.get().loc(), path + "." + k, k.equals("busyloop_timeout")
                        ? "busyloop_timeout is for vhost threads (an iothread polls with poll_max_ns, poll_grow, poll_shrink)"
                        : k + " is for iothreads (a vhost thread busy-polls with busyloop_timeout)");
                ok = false;
            }
        }
        Optional<Long> busy = a.optional("busyloop_timeout").isEmpty() ? Optional.of(d.busyloopNs())
                : r.duration(a.optional("busyloop_timeout").get(), path + ".busyloop_timeout");
        Optional<Long> max = a.optional("poll_max_ns").isEmpty() ? Optional.of(d.pollMaxNs()) : nanos(a.optional("poll_max_ns").get(), path + ".poll_max_ns");
        Optional<Long> grow = a.optional("poll_grow").isEmpty() ? Optional.of(d.pollGrow()) : r.u64(a.optional("poll_grow").get(), path + ".poll_grow");
        Optional<Long> shrink = a.optional("poll_shrink").isEmpty() ? Optional.of(d.pollShrink()) : r.u64(a.optional("poll_shrink").get(), path + ".poll_shrink");
        Optional<Long> mask = a.optional("cpus").isEmpty() ? Optional.of(0L) : cpuMask(r, a.optional("cpus").get(), path + ".cpus");
        if (!ok || busy.isEmpty() || max.isEmpty() || grow.isEmpty() || shrink.isEmpty() || mask.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ThreadSpec.Polling(busy.get(), max.get(), grow.get(), shrink.get(), mask.get()));
    }

    /** A CPU set: a list of CPU numbers (0..63), as a bit mask. */
    static Optional<Long> cpuMask(Reader r, YNode n, String path) {
        Optional<YNode.ListNode> l = r.list(n, path, "a list of host CPU numbers (0 to 63)");
        if (l.isEmpty()) {
            return Optional.empty();
        }
        long mask = 0;
        for (int i = 0; i < l.get().items().size(); i++) {
            Optional<Long> c = r.u64(l.get().items().get(i), Reader.index(path, i), 0, 63, "a host CPU number from 0 to 63");
            if (c.isEmpty()) {
                return Optional.empty();
            }
            mask |= 1L << c.get();
        }
        if (mask == 0) {
            r.error(n.loc(), path, "expected at least one CPU");
            return Optional.empty();
        }
        return Optional.of(mask);
    }

    /** Nanoseconds as a number or a duration ({@code 32us}). */
    private Optional<Long> nanos(YNode n, String path) {
        if (n instanceof YNode.Scalar s && s.type() == YNode.Type.STRING) {
            return r.duration(n, path);
        }
        return r.u64(n, path, 0, Long.MAX_VALUE, "nanoseconds (a number) or a duration like \"32us\"");
    }

    /** The thread's name; a duplicate is reported and still returned. */
    private Optional<String> declare(YNode nn, String path) {
        Optional<String> name = r.string(nn, path);
        name.ifPresent(s -> {
            if (c.threadNames.containsKey(s)) {
                r.error(nn.loc(), path, "duplicate thread name '" + s + "' (first declared at line " + c.threadNames.get(s).line() + ")");
            } else {
                c.threadNames.put(s, nn.loc());
            }
        });
        return name;
    }
}
