package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.EventfdSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Binds the {@code eventfds} section and declares each name in the context. */
final class EventfdsBinder {
    private static final List<String> KEYS = List.of("name", "initial", "flags");

    private final BindContext c;
    private final Reader r;

    EventfdsBinder(BindContext c) {
        this.c = c;
        this.r = c.r;
    }

    List<EventfdSpec> bind(Optional<YNode> node) {
        List<EventfdSpec> out = new ArrayList<>();
        node.flatMap(n -> r.list(n, "eventfds", "eventfds")).ifPresent(l -> {
            for (int i = 0; i < l.items().size(); i++) {
                eventfd(l.items().get(i), Reader.index("eventfds", i)).ifPresent(out::add);
            }
        });
        return out;
    }

    private Optional<EventfdSpec> eventfd(YNode item, String path) {
        Optional<YNode.MapNode> mm = r.map(item, path, "an eventfd (a map with name, initial, flags)");
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        YNode.MapNode m = mm.get();
        r.checkKeys(m, path, KEYS);
        Optional<String> name = r.required(m, path, "name").flatMap(n -> declare(n, path + ".name"));
        long initial = Reader.optional(m, "initial")
                .flatMap(in -> r.u64(in, path + ".initial", 0, 0xFFFF_FFFFL, "an initial count from 0 to 4294967295 (eventfd2 takes an unsigned int)"))
                .orElse(0L);
        boolean semaphore = false;
        boolean nonblock = false;
        Optional<YNode.ListNode> fl = Reader.optional(m, "flags")
                .flatMap(f -> r.list(f, path + ".flags", "flags (semaphore, nonblock, cloexec)"));
        if (fl.isPresent()) {
            for (int j = 0; j < fl.get().items().size(); j++) {
                Optional<String> flag = r.oneOf(fl.get().items().get(j), Reader.index(path + ".flags", j), List.of("semaphore", "nonblock", "cloexec"));
                semaphore |= flag.filter("semaphore"::equals).isPresent();
                nonblock |= flag.filter("nonblock"::equals).isPresent();
            }
        }
        boolean sem = semaphore;
        boolean nb = nonblock;
        return name.map(s -> new EventfdSpec(s, initial, sem, nb, m.loc()));
    }

    /**
     * The eventfd's name; a reserved or duplicate name is reported but still returned, as the
     * spec is kept (only a name that is not a string drops it).
     */
    private Optional<String> declare(YNode n, String path) {
        Optional<String> name = r.string(n, path);
        name.ifPresent(s -> {
            if (s.isEmpty() || s.startsWith("@")) {
                r.error(n.loc(), path, "bad eventfd name '" + s + "': names may not be empty or start with '@' (reserved for @badfd, @notevent)");
            } else if (c.eventfdNames.containsKey(s)) {
                r.error(n.loc(), path, "duplicate eventfd name '" + s + "' (first declared at line " + c.eventfdNames.get(s).line() + ")");
            } else {
                c.eventfdNames.put(s, n.loc());
            }
        });
        return name;
    }
}
