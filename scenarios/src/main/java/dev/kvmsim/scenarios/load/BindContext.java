package dev.kvmsim.scenarios.load;

import dev.kvmsim.scenarios.model.FdRef;
import dev.kvmsim.scenarios.model.Loc;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the section binders share while one file is bound: the {@link Reader} that collects
 * every error with the file's name, and the names declared so far that later sections refer
 * to (eventfds, host threads, the vCPU count). Sections are bound in file-independent order
 * (vm, eventfds, threads, host, guest, expect), so a reference is always checked against a
 * complete table.
 */
final class BindContext {
    static final String U32 = "a number from 0 to 0xffffffff (the ioctl's field is a __u32)";

    final Reader r;
    /** Declared eventfds in declaration order (messages list them in that order). */
    final Map<String, Loc> eventfdNames = new LinkedHashMap<>();
    final Map<String, Loc> threadNames = new HashMap<>();
    /** {@code vm.vcpus}, or 1 when absent or invalid. */
    int vcpus = 1;
    /** {@code vm.host_cpus} was written (valid or not): thread CPU sets are then not reported as lacking it. */
    boolean hostCpusGiven;

    BindContext(String file) {
        this.r = new Reader(file);
    }

    /** An eventfd reference: a declared name, or (where allowed) {@code @badfd} or {@code @notevent}. */
    Optional<FdRef> fdRef(YNode n, String path, boolean allowSpecial) {
        Optional<String> name = r.string(n, path);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String s = name.get();
        if (allowSpecial && (FdRef.BADFD.equals(s) || FdRef.NOTEVENT.equals(s))) {
            return Optional.of(FdRef.of(s));
        }
        if (!eventfdNames.containsKey(s)) {
            String declared = eventfdNames.isEmpty() ? "none declared" : "declared: " + String.join(", ", eventfdNames.keySet());
            r.error(n.loc(), path, "unknown eventfd '" + s + "' (" + declared + (allowSpecial ? "; or @badfd, @notevent)" : ")"));
            return Optional.empty();
        }
        return Optional.of(FdRef.of(s));
    }

    /** {@code close: kick0}, {@code eventfd_read: kick0} or the map form {@code {eventfd: kick0}}. */
    Optional<FdRef> fdArg(YNode arg, String path, List<String> keys) {
        if (arg instanceof YNode.Scalar) {
            return fdRef(arg, path, true);
        }
        return args(arg, path, "an eventfd name or a map with eventfd", keys).flatMap(a -> a.fd("eventfd", true));
    }

    /** A vCPU index below {@code vm.vcpus}. */
    Optional<Integer> vcpuIndex(YNode n, String path) {
        Optional<Long> v = r.u64(n, path);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (Long.compareUnsigned(v.get(), vcpus) >= 0) {
            r.error(n.loc(), path, "vCPU index " + Long.toUnsignedString(v.get()) + " is not below vm.vcpus (" + vcpus + ")");
            return Optional.empty();
        }
        return Optional.of(v.get().intValue());
    }

    /** A map of arguments with only {@code keys} allowed (unknown keys are reported). */
    Optional<Args> args(YNode n, String path, String what, List<String> keys) {
        Optional<YNode.MapNode> m = r.map(n, path, what);
        m.ifPresent(map -> r.checkKeys(map, path, keys));
        return m.map(map -> new Args(this, map, path));
    }
}
