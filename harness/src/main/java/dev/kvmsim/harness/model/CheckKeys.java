package dev.kvmsim.harness.model;

import dev.kvmsim.scenarios.model.Expectation;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code check} step reads, named as the runner names it in its report
 * ({@code eventfd rs counter}, {@code vcpu 0 delivered (vector 0x31)},
 * {@code userspace_exits (mmio and io addr 0xfe003000)}), so that the harness prints the same
 * keys. Only what the real kernel lets a program observe is compared: eventfd counters,
 * vectors taken, userspace exits. Not: eventfd {@code signals}, exit reasons (VMX-specific),
 * latencies (timing), host thread counts.
 */
public final class CheckKeys {

    /** One value a check reads, with the expectation it comes from. */
    public record Key(String what, Expectation source) {}

    private CheckKeys() {}

    /** True for a check the comparator compares (by the runner's description). */
    public static boolean comparable(String what) {
        return (what.startsWith("eventfd ") && what.endsWith(" counter")) || (what.startsWith("vcpu ") && what.contains(" delivered ("))
                || what.startsWith("userspace_exits (");
    }

    /** The comparable keys of one expectation, in the runner's order. */
    public static List<Key> keys(Expectation e) {
        List<Key> out = new ArrayList<>();
        if (e instanceof Expectation.Eventfd x && x.counter() != null) {
            out.add(new Key("eventfd " + x.eventfd() + " counter", e));
        } else if (e instanceof Expectation.Vcpu x) {
            String what = x.vector() < 0 ? "all vectors" : String.format("vector 0x%02x", x.vector());
            out.add(new Key("vcpu " + x.vcpu() + " delivered (" + what + ")", e));
        } else if (e instanceof Expectation.UserspaceExits x) {
            StringBuilder d = new StringBuilder("userspace_exits (");
            d.append(x.kind() == null ? "mmio and io" : x.kind());
            if (x.hasAddr()) {
                d.append(" addr 0x").append(Long.toHexString(x.addr()));
            }
            if (x.hasLen()) {
                d.append(" len ").append(x.len());
            }
            if (x.hasData()) {
                d.append(" data 0x").append(Long.toHexString(x.data()));
            }
            out.add(new Key(d.append(')').toString(), e));
        }
        return out;
    }
}
