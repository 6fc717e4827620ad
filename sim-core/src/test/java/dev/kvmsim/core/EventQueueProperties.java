package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The EventQueue pops in the order of a reference sorted by (time, insertion sequence). Every
 * event carries its own action ({@link Action}, one per insertion), so a pop in the wrong order
 * among equal times, or a cancelled event popped in place of another, is seen: a shared
 * action (one non-capturing lambda is a single object) would make every pop look right.
 */
class EventQueueProperties {

    /** A distinct action per event: equal only to itself (its id is the insertion sequence). */
    record Action(long id) implements Runnable {
        @Override
        public void run() { }
    }

    /** One step of a random workload: op 0..5 add, 6..7 poll, 8..9 cancel the k-th handle. */
    record Op(int op, long time, int k) { }

    @Provide
    Arbitrary<List<Op>> ops() {
        // few distinct times, so ties (and therefore FIFO order) are common
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.longs().between(0, 40),
                Arbitraries.integers().between(0, 1000)).as(Op::new);
        return op.list().ofMaxSize(600);
    }

    record Ref(long time, long seq, Runnable action) { }

    @Property(tries = 300)
    void popsInTheSameOrderAsASortedReference(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 1, max = 64) int capacity) {
        EventQueue q = new EventQueue(capacity);
        TreeSet<Ref> ref = new TreeSet<>(Comparator.comparingLong(Ref::time).thenComparingLong(Ref::seq));
        List<Long> handles = new ArrayList<>();
        List<Ref> byHandle = new ArrayList<>();
        long seq = 0;
        long base = 0; // a hold-like workload: times never go below the last popped time
        for (Op o : ops) {
            if (o.op() <= 5) {
                Runnable a = new Action(seq);
                long t = base + o.time();
                Ref r = new Ref(t, seq++, a);
                ref.add(r);
                handles.add(q.add(t, a));
                byHandle.add(r);
            } else if (o.op() <= 7) {
                if (ref.isEmpty()) {
                    assertEquals(Long.MAX_VALUE, q.peekTime());
                    continue;
                }
                Ref expected = ref.pollFirst();
                assertEquals(expected.time(), q.peekTime());
                assertEquals(expected.action(), q.poll());
                base = expected.time();
            } else if (!handles.isEmpty()) {
                int i = o.k() % handles.size();
                boolean wasPending = ref.remove(byHandle.get(i));
                assertEquals(wasPending, q.cancel(handles.get(i)));
            }
            assertEquals(ref.size(), q.size());
        }
        while (!ref.isEmpty()) {
            Ref expected = ref.pollFirst();
            assertEquals(expected.time(), q.peekTime());
            assertEquals(expected.action(), q.poll());
        }
        assertEquals(0, q.size());
    }

    @Property(tries = 50)
    void massCancellationStillPopsInOrder(@ForAll @IntRange(min = 100, max = 3000) int n, @ForAll long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        EventQueue q = new EventQueue();
        TreeSet<Ref> ref = new TreeSet<>(Comparator.comparingLong(Ref::time).thenComparingLong(Ref::seq));
        long[] h = new long[n];
        Ref[] refs = new Ref[n];
        for (int i = 0; i < n; i++) {
            Runnable a = new Action(i);
            refs[i] = new Ref(r.nextLong(0, 500), i, a);
            ref.add(refs[i]);
            h[i] = q.add(refs[i].time(), a);
        }
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) < 8) {
                ref.remove(refs[i]);
                q.cancel(h[i]);
            }
        }
        while (!ref.isEmpty()) {
            Ref expected = ref.pollFirst();
            assertEquals(expected.time(), q.peekTime());
            assertEquals(expected.action(), q.poll());
        }
        assertEquals(Long.MAX_VALUE, q.peekTime());
    }
}
