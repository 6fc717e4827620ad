package dev.kvmsim.core;

import java.util.Arrays;

/**
 * The future-event list: an indexed 4-ary min-heap over primitive keys (time, then insertion
 * sequence) with a parallel array of actions.
 *
 * <p>Caveats: not thread-safe; grows by doubling and never shrinks. A handle packs the slot's
 * generation (high 32 bits) and the slot index (low 32 bits) so cancellation is O(log n) and
 * a stale handle is recognised.
 */
public final class EventQueue {
    private static final int ARITY_SHIFT = 2; // 4-ary

    // heap arrays, indexed by heap position
    private long[] time;
    private long[] seq;
    private int[] slotAt;
    // slot arrays, indexed by slot
    private Runnable[] action;
    private int[] posOf;      // heap position of a slot, -1 when free
    private int[] generation;
    private int[] freeSlots;
    private int freeCount;
    private int nextSlot;
    private int size;
    private long nextSeq;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int capacity) {
        int c = Math.max(4, capacity);
        time = new long[c];
        seq = new long[c];
        slotAt = new int[c];
        action = new Runnable[c];
        posOf = new int[c];
        generation = new int[c];
        freeSlots = new int[c];
        Arrays.fill(posOf, -1);
    }

    public int size() { return size; }

    public boolean isEmpty() { return size == 0; }

    /** Time of the earliest event; undefined when empty. */
    public long peekTime() { return time[0]; }

    public long add(long t, Runnable a) {
        if (size == time.length) {
            grow();
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        action[slot] = a;
        siftUp(size++, t, nextSeq++, slot);
        return ((long) generation[slot] << 32) | slot;
    }

    /** Removes the earliest event and returns its action. */
    public Runnable poll() {
        int slot = slotAt[0];
        Runnable a = action[slot];
        release(slot);
        int last = --size;
        if (last > 0) {
            siftDown(0, time[last], seq[last], slotAt[last]);
        }
        return a;
    }

    public boolean cancel(long handle) {
        int slot = (int) handle;
        int gen = (int) (handle >>> 32);
        if (slot < 0 || slot >= nextSlot || generation[slot] != gen || posOf[slot] < 0) {
            return false;
        }
        int pos = posOf[slot];
        release(slot);
        int last = --size;
        if (pos != last) {
            long t = time[last];
            long s = seq[last];
            int sl = slotAt[last];
            if (pos > 0 && less(t, s, time[(pos - 1) >> ARITY_SHIFT], seq[(pos - 1) >> ARITY_SHIFT])) {
                siftUp(pos, t, s, sl);
            } else {
                siftDown(pos, t, s, sl);
            }
        }
        return true;
    }

    private void release(int slot) {
        action[slot] = null;
        posOf[slot] = -1;
        generation[slot]++;
        freeSlots[freeCount++] = slot;
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void siftUp(int pos, long t, long s, int slot) {
        while (pos > 0) {
            int parent = (pos - 1) >> ARITY_SHIFT;
            long pt = time[parent];
            if (t > pt || (t == pt && s > seq[parent])) {
                break;
            }
            move(parent, pos);
            pos = parent;
        }
        place(pos, t, s, slot);
    }

    private void siftDown(int pos, long t, long s, int slot) {
        int n = size;
        while (true) {
            int first = (pos << ARITY_SHIFT) + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bt = time[first];
            long bs = seq[first];
            int end = Math.min(first + 4, n);
            for (int c = first + 1; c < end; c++) {
                long ct = time[c];
                if (ct < bt || (ct == bt && seq[c] < bs)) {
                    best = c;
                    bt = ct;
                    bs = seq[c];
                }
            }
            if (t < bt || (t == bt && s < bs)) {
                break;
            }
            move(best, pos);
            pos = best;
        }
        place(pos, t, s, slot);
    }

    private void move(int from, int to) {
        time[to] = time[from];
        seq[to] = seq[from];
        int sl = slotAt[from];
        slotAt[to] = sl;
        posOf[sl] = to;
    }

    private void place(int pos, long t, long s, int slot) {
        time[pos] = t;
        seq[pos] = s;
        slotAt[pos] = slot;
        posOf[slot] = pos;
    }

    private void grow() {
        int c = time.length * 2;
        time = Arrays.copyOf(time, c);
        seq = Arrays.copyOf(seq, c);
        slotAt = Arrays.copyOf(slotAt, c);
        action = Arrays.copyOf(action, c);
        int old = posOf.length;
        posOf = Arrays.copyOf(posOf, c);
        Arrays.fill(posOf, old, c, -1);
        generation = Arrays.copyOf(generation, c);
        freeSlots = Arrays.copyOf(freeSlots, c);
    }
}
