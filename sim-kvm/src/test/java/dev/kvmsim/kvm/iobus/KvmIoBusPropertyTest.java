package dev.kvmsim.kvm.iobus;

import dev.kvmsim.core.Simulation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dispatch on {@link KvmIoBus} equals a straightforward list-based reference of the kernel's
 * array order (kvm_io_bus_register_dev insertion with kvm_io_bus_cmp) and lookup.
 */
class KvmIoBusPropertyTest {
    record Reg(long addr, int len, boolean accepts) { }

    record Access(long addr, int len) { }

    record Ref(long addr, int len, FakeDevice dev) { }

    /** Reference insertion: walk the list, insert before the first entry comparing greater. */
    private static void refInsert(List<Ref> list, Ref r) {
        int i = 0;
        while (i < list.size() && KvmIoBus.cmp(list.get(i).addr, list.get(i).len, r.addr, r.len) <= 0) {
            i++;
        }
        list.add(i, r);
    }

    /** Textbook lib/bsearch.c on a list (recursive form), then the backward walk. */
    private static int refFirst(List<Ref> list, int lo, int num, Access k) {
        if (num <= 0) {
            return -1;
        }
        int pivot = lo + num / 2;
        Ref p = list.get(pivot);
        int c = KvmIoBus.cmp(k.addr, k.len, p.addr, p.len);
        if (c == 0) {
            int off = pivot;
            while (off > 0 && KvmIoBus.cmp(k.addr, k.len, list.get(off - 1).addr, list.get(off - 1).len) == 0) {
                off--;
            }
            return off;
        }
        return c > 0 ? refFirst(list, pivot + 1, (num - 1) / 2, k) : refFirst(list, lo, num / 2, k);
    }

    /** Linear reference: the first entry in range, in array order. */
    private static int linearFirst(List<Ref> list, Access k) {
        for (int i = 0; i < list.size(); i++) {
            if (KvmIoBus.cmp(k.addr, k.len, list.get(i).addr, list.get(i).len) == 0) {
                return i;
            }
        }
        return -1;
    }

    private static int refDispatch(List<Ref> list, int first, Access k, List<String> log) {
        if (first < 0) {
            return -95;
        }
        for (int i = first; i < list.size() && KvmIoBus.cmp(k.addr, k.len, list.get(i).addr, list.get(i).len) == 0; i++) {
            log.add(list.get(i).dev.name);
            if (list.get(i).dev.accepts) {
                return i;
            }
        }
        return -95;
    }

    @Property(tries = 300)
    void dispatchEqualsReference_anyRanges(@ForAll("regs") List<Reg> regs, @ForAll("accesses") List<Access> writes,
                                          @ForAll("removals") List<Integer> removals) {
        List<String> busLog = new ArrayList<>();
        KvmIoBus bus = new KvmIoBus(KvmBus.MMIO, new Simulation(1));
        List<Ref> ref = new ArrayList<>();
        List<FakeDevice> devs = new ArrayList<>();
        for (int i = 0; i < regs.size(); i++) {
            Reg r = regs.get(i);
            FakeDevice d = new FakeDevice("d" + i, r.accepts, busLog);
            devs.add(d);
            bus.register(r.addr, r.len, d);
            refInsert(ref, new Ref(r.addr, r.len, d));
        }
        for (int idx : removals) {
            if (idx < devs.size()) {
                FakeDevice d = devs.get(idx);
                bus.unregister(d);
                ref.removeIf(x -> x.dev == d);
            }
        }
        assertEquals(ref.stream().map(Ref::dev).toList(), bus.ranges().stream().map(KvmIoRange::dev).toList());
        for (Access w : writes) {
            busLog.clear();
            int got = bus.writeIndex(0, w.addr, w.len, 0);
            List<String> gotLog = new ArrayList<>(busLog);
            List<String> refLog = new ArrayList<>();
            int want = refDispatch(ref, refFirst(ref, 0, ref.size(), w), w, refLog);
            assertEquals(want, got, "write " + w + " on " + ref);
            assertEquals(refLog, gotLog, "write " + w + " on " + ref);
        }
    }

    /**
     * Registration in place and at the end without the scan (KvmIoBus#register) keeps the array
     * the kernel's copy-and-insert would build, also when registers follow unregisters (the
     * bound of start addresses is then stale) and when a device registers during a dispatch.
     */
    @Property(tries = 300)
    void arrayOrderEqualsReference_interleavedRegisterAndUnregister(@ForAll("regs") List<Reg> regs,
                                                                    @ForAll("removals") List<Integer> removals) {
        KvmIoBus bus = new KvmIoBus(KvmBus.MMIO, new Simulation(1));
        List<Ref> ref = new ArrayList<>();
        List<FakeDevice> devs = new ArrayList<>();
        for (int i = 0; i < regs.size(); i++) {
            Reg r = regs.get(i);
            FakeDevice d = new FakeDevice("d" + i, r.accepts, new ArrayList<>());
            devs.add(d);
            bus.register(r.addr, r.len, d);
            refInsert(ref, new Ref(r.addr, r.len, d));
            if (i < removals.size() && removals.get(i) < devs.size()) {
                FakeDevice gone = devs.get(removals.get(i));
                bus.unregister(gone);
                ref.removeIf(x -> x.dev == gone);
            }
            assertEquals(ref.stream().map(Ref::dev).toList(), bus.ranges().stream().map(KvmIoRange::dev).toList());
        }
        // ascending starts, as count/stride gives: each goes at the end
        long top = regs.stream().mapToLong(Reg::addr).max().orElse(0);
        for (int k = 1; k <= 5 && top + 8L * k > top; k++) {
            FakeDevice d = new FakeDevice("up" + k, true, new ArrayList<>());
            bus.register(top + 8L * k, 4, d);
            refInsert(ref, new Ref(top + 8L * k, 4, d));
        }
        assertEquals(ref.stream().map(Ref::dev).toList(), bus.ranges().stream().map(KvmIoRange::dev).toList());
    }

    @Property(tries = 300)
    void dispatchEqualsLinearScan_disjointOrIdenticalRanges(@ForAll("slots") List<Reg> regs, @ForAll("accesses") List<Access> writes) {
        // when ranges are pairwise disjoint or identical the array is sorted and bsearch finds the
        // same first entry as a linear scan
        List<String> busLog = new ArrayList<>();
        KvmIoBus bus = new KvmIoBus(KvmBus.PIO, new Simulation(1));
        List<Ref> ref = new ArrayList<>();
        for (int i = 0; i < regs.size(); i++) {
            Reg r = regs.get(i);
            FakeDevice d = new FakeDevice("d" + i, r.accepts, busLog);
            bus.register(r.addr, r.len, d);
            refInsert(ref, new Ref(r.addr, r.len, d));
        }
        for (Access w : writes) {
            busLog.clear();
            int got = bus.writeIndex(0, w.addr, w.len, 0);
            List<String> refLog = new ArrayList<>();
            int want = refDispatch(ref, linearFirst(ref, w), w, refLog);
            assertEquals(want, got, "write " + w + " on " + ref);
            assertEquals(refLog, busLog);
        }
    }

    @Provide
    Arbitrary<List<Reg>> regs() {
        Arbitrary<Reg> reg = Combinators.combine(
                Arbitraries.longs().between(0, 64),
                Arbitraries.of(0, 1, 2, 4, 8, 16, 32),
                Arbitraries.of(true, false, false)).as(Reg::new);
        return reg.list().ofMaxSize(24);
    }

    /**
     * Ranges on 8-byte slots: a whole slot (len 8) or a len-0 range in the middle of a slot that
     * is never sized (a len-0 range at the end address of a sized one would compare 0 with it).
     */
    @Provide
    Arbitrary<List<Reg>> slots() {
        Arbitrary<Reg> reg = Combinators.combine(
                Arbitraries.integers().between(0, 12),
                Arbitraries.of(true, false, false)).as((slot, acc) -> slot % 3 == 0 ? new Reg(slot * 8L + 4, 0, acc) : new Reg(slot * 8L, 8, acc));
        return reg.list().ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<Access>> accesses() {
        return Combinators.combine(Arbitraries.longs().between(0, 104), Arbitraries.of(0, 1, 2, 4, 8))
                .as(Access::new).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<Integer>> removals() {
        return Arbitraries.integers().between(0, 30).list().ofMaxSize(6);
    }
}
