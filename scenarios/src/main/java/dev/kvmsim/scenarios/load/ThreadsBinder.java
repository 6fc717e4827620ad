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
    private static final List<String> KEYS = List.of("name", "kind", "wait", "service", "signal");

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
        return Optional.of(new ThreadSpec(name.get(), ThreadSpec.Kind.valueOf(kind.get().toUpperCase(Locale.ROOT)), wait.get().name(),
                service.get(), ((YNode.Scalar) sn.get()).text(), signal.map(FdRef::name).orElse(null), a.m.loc()));
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
