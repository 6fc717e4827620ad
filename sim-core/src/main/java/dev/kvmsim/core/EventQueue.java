package dev.kvmsim.core;

import java.util.Arrays;

/**
 * The future-event list: an implicit 4-ary min-heap over primitive keys, ordered by time, then
 * insertion sequence (FIFO among equal times), with the actions kept in a side table of slots.
 *
 * <p>Caveats: not thread-safe; arrays grow by doubling and never shrink. Layout and why:
 * <ul>
 * <li>The heap holds only {@code long time[]} and {@code int slotAt[]}: a sift moves 12 bytes
 *     per level and touches no object, so the garbage collector's write barriers stay out of the
 *     hot loop. The insertion sequence lives in the slot table ({@code seqOf[slot]}) and is read
 *     only when two times tie.</li>
 * <li>Cancellation is lazy: {@link #cancel} clears the slot's action and bumps its generation,
 *     leaving a dead entry in the heap that is dropped when it reaches the root (or by a
 *     rebuild once dead entries outnumber live ones). So the heap keeps no position index and
 *     a sift writes nothing outside the heap arrays.</li>
 * <li>{@link #poll} retires the root in place (it becomes a dead entry); the next {@link #add}
 *     replaces a dead root and sifts it down, so the classic hold (remove the earliest, insert
 *     a later one) costs one sift instead of two.</li>
 * <li>A handle packs the slot's generation (high 32 bits) and the slot (low 32 bits); it is
 *     stale once its event ran or was cancelled. A slot's generation wraps after 2^32 reuses,
 *     after which a handle kept that long could alias a newer event.</li>
 * </ul>
 */
public final class EventQueue {
    /** Log2 of the arity: a 4-ary heap, whose four child times share one or two cache lines. */
    private static final int SHIFT = 2;
    private static final int ARITY = 1 << SHIFT;
    /** Rebuild once dead entries exceed live ones and this many (keeps rebuilds amortised O(1)). */
    private static final int MIN_DEAD_FOR_REBUILD = 64;

    // heap, indexed by heap position [0, n)
    private long[] time;
    private int[] slotAt;
    private int n;

    // slot table, indexed by slot [0, nextSlot)
    private Runnable[] action;   // null: free slot or dead (cancelled / already polled) entry
    private long[] seqOf;
    private int[] generation;
    private int[] freeSlots;
    private int freeCount;
    private int nextSlot;

    private int live;
    private long nextSeq;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int capacity) {
        int c = Math.max(ARITY, capacity);
        time = new long[c];
        slotAt = new int[c];
        action = new Runnable[c];
        seqOf = new long[c];
        generation = new int[c];
        freeSlots = new int[c];
    }

    /** Number of pending (live) events. */
    public int size() { return live; }

    public boolean isEmpty() { return live == 0; }

    /** Time of the earliest pending event; {@link Long#MAX_VALUE} when empty. */
    public long peekTime() {
        dropDeadRoots();
        return n == 0 ? Long.MAX_VALUE : time[0];
    }

    /**
     * Adds an event at time {@code t}; returns its handle. The caller checks {@code t} (the
     * queue orders any long, negative included).
     */
    public long add(long t, Runnable a) {
        if (a == null) {
            throw new NullPointerException("event action is null");
        }
        int slot;
        if (n > live && action[slotAt[0]] == null) {
            // the root is dead (typically just polled): reuse its slot and heap position
            slot = slotAt[0];
            fill(slot, a);
            siftDown(0, t, slot);
        } else {
            if (n == time.length) {
                grow();
            }
            slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
            fill(slot, a);
            siftUp(n++, t, slot);
        }
        return ((long) generation[slot] << 32) | slot;
    }

    /**
     * Removes the earliest pending event and returns its action; its time is the
     * {@link #peekTime} just before. Throws when empty.
     */
    public Runnable poll() {
        dropDeadRoots();
        if (n == 0) {
            throw new IllegalStateException("poll on an empty event queue");
        }
        int slot = slotAt[0];
        Runnable a = action[slot];
        kill(slot); // the entry stays at the root, dead, until replaced or dropped
        return a;
    }

    /** Cancels a pending event; false when the handle is stale (ran, cancelled, or unknown). */
    public boolean cancel(long handle) {
        int slot = (int) handle;
        if (slot < 0 || slot >= nextSlot || generation[slot] != (int) (handle >>> 32) || action[slot] == null) {
            return false;
        }
        kill(slot);
        int dead = n - live;
        if (dead > live && dead >= MIN_DEAD_FOR_REBUILD) {
            rebuild();
        }
        return true;
    }

    private void fill(int slot, Runnable a) {
        action[slot] = a;
        seqOf[slot] = nextSeq++;
        live++;
    }

    private void kill(int slot) {
        action[slot] = null;
        generation[slot]++;
        live--;
    }

    private void free(int slot) {
        freeSlots[freeCount++] = slot;
    }

    /** Drops dead entries from the root until it is live (or the heap is empty). */
    private void dropDeadRoots() {
        while (n > live && action[slotAt[0]] == null) {
            free(slotAt[0]);
            int last = --n;
            if (last > 0) {
                siftDown(0, time[last], slotAt[last]);
            }
        }
    }

    /** Removes every dead entry and re-heapifies (Floyd), O(n). */
    private void rebuild() {
        int m = 0;
        for (int i = 0; i < n; i++) {
            int s = slotAt[i];
            if (action[s] == null) {
                free(s);
            } else {
                time[m] = time[i];
                slotAt[m] = s;
                m++;
            }
        }
        n = m;
        for (int i = (n - 2) >> SHIFT; i >= 0; i--) {
            siftDown(i, time[i], slotAt[i]);
        }
    }

    private void siftUp(int pos, long t, int slot) {
        long[] tm = time;
        int[] sa = slotAt;
        while (pos > 0) {
            int parent = (pos - 1) >> SHIFT;
            long pt = tm[parent];
            if (t > pt || (t == pt && seqOf[slot] > seqOf[sa[parent]])) {
                break;
            }
            tm[pos] = pt;
            sa[pos] = sa[parent];
            pos = parent;
        }
        tm[pos] = t;
        sa[pos] = slot;
    }

    private void siftDown(int pos, long t, int slot) {
        long[] tm = time;
        int[] sa = slotAt;
        int size = n;
        while (true) {
            int first = (pos << SHIFT) + 1;
            if (first >= size) {
                break;
            }
            int best = first;
            long bt = tm[first];
            int end = first + ARITY;
            if (end > size) {
                end = size;
            }
            for (int c = first + 1; c < end; c++) {
                long ct = tm[c];
                if (ct < bt || (ct == bt && seqOf[sa[c]] < seqOf[sa[best]])) {
                    best = c;
                    bt = ct;
                }
            }
            if (t < bt || (t == bt && seqOf[slot] < seqOf[sa[best]])) {
                break;
            }
            tm[pos] = bt;
            sa[pos] = sa[best];
            pos = best;
        }
        tm[pos] = t;
        sa[pos] = slot;
    }

    private void grow() {
        int c = time.length * 2;
        time = Arrays.copyOf(time, c);
        slotAt = Arrays.copyOf(slotAt, c);
        action = Arrays.copyOf(action, c);
        seqOf = Arrays.copyOf(seqOf, c);
        generation = Arrays.copyOf(generation, c);
        freeSlots = Arrays.copyOf(freeSlots, c);
    }
}
