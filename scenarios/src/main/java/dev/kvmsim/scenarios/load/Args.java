package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.FdRef;

import java.util.Optional;

/** An argument map with typed accessors that report under the map's path. */
final class Args {
    private final BindContext c;
    final YNode.MapNode m;
    final String path;

    Args(BindContext c, YNode.MapNode m, String path) {
        this.c = c;
        this.m = m;
        this.path = path;
    }

    Optional<YNode> required(String key) {
        return c.r.required(m, path, key);
    }

    Optional<YNode> optional(String key) {
        return Reader.optional(m, key);
    }

    Optional<FdRef> fd(String key, boolean allowSpecial) {
        return required(key).flatMap(n -> c.fdRef(n, path + "." + key, allowSpecial));
    }

    Optional<Long> reqU64(String key) {
        return required(key).flatMap(n -> c.r.u64(n, path + "." + key));
    }

    /** A field the ioctl's struct declares {@code __u32}: wider values cannot be passed. */
    Optional<Long> reqU32(String key) {
        return required(key).flatMap(n -> c.r.u64(n, path + "." + key, 0, 0xFFFF_FFFFL, BindContext.U32));
    }

    long optU32(String key, long def) {
        return optional(key).flatMap(n -> c.r.u64(n, path + "." + key, 0, 0xFFFF_FFFFL, BindContext.U32)).orElse(def);
    }

    long optU64(String key, long def) {
        return optional(key).flatMap(n -> c.r.u64(n, path + "." + key)).orElse(def);
    }

    boolean optBool(String key) {
        return optional(key).flatMap(n -> c.r.bool(n, path + "." + key)).orElse(false);
    }

    long count() {
        return optional("count").flatMap(n -> c.r.u64(n, path + ".count", 1, 1_000_000, "a count from 1 to 1000000")).orElse(1L);
    }
}
