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
 * <li>Cancellation is lazy: {@link #cancel} bumps the slot's generation (odd means live),
 *     leaving a dead entry in the heap that is dropped when it reaches the root (or by a
 *     rebuild once dead entries outnumber live ones). So the heap keeps no position index and
 *     a sift writes nothing outside the heap arrays.</li>
 * <li>{@link #poll} retires the root in place (it becomes a dead entry); the next {@link #add}
 *     replaces a dead root and sifts it down, so the classic hold (remove the earliest, insert
 *     a later one) costs one sift instead of two.</li>
 * <li>A handle packs the slot's generation (high 32 bits) and the slot (low 32 bits); it is
 *     stale once its event ran or was cancelled. A slot's generation wraps after 2^31 reuses,
 *     after which a handle kept that long could alias a newer event.</li>
 * <li>A slot keeps its action after the event ran or was cancelled, until the slot is freed
 *     or reused; an action that re-schedules itself therefore costs no reference store (a G1
 *     write barrier) per event. So the queue may hold a finished action a little longer.</li>
 * </ul>
 */
public final class EventQueue {
    /** Log2 of the arity: a 4-ary heap, whose four child times share one or two cache lines. */
    private static final int SHIFT = 2;
    private static final int ARITY = 1 << SHIFT;
    /** Heap positions past the end kept at {@link Long#MAX_VALUE}, so a child group reads whole. */
    private static final int PAD = ARITY;
    /** Rebuild once dead entries exceed live ones and this many (keeps rebuilds amortised O(1)). */
    private static final int MIN_DEAD_FOR_REBUILD = 64;

    // heap, indexed by heap position [0, n)
    private long[] time;
    private int[] slotAt;
    private int n;

    // slot table, indexed by slot [0, nextSlot)
    private Runnable[] action;   // the event's action; kept while dead, cleared when the slot is freed
    private long[] seqOf;
    private int[] generation;    // odd: live event; even: free slot or dead entry
    private int[] freeSlots;
    private int freeCount;
    private int nextSlot;

    private int live;
    private long nextSeq;
    private long polledTime;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int capacity) {
        int c = Math.max(ARITY, capacity);
        time = new long[c + PAD];
        Arrays.fill(time, Long.MAX_VALUE);
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
     * Adds an event at time {@code t >= 0}; returns its handle. (Times are non-negative so
     * that the branch-free sift can subtract them without overflow.)
     */
    public long add(long t, Runnable a) {
        if (a == null | t < 0) {
            throw badAdd(t, a);
        }
        int slot;
        if (n > live && isDead(slotAt[0])) {
            // the root is dead (typically just polled): reuse its slot and heap position
            slot = slotAt[0];
            fill(slot, a);
            siftDown(0, t, slot);
        } else {
            slot = append(t, a);
        }
        return ((long) generation[slot] << 32) | slot;
    }

    /** Adds a new heap entry at the end (kept out of {@link #add} so that stays small to inline). */
    private int append(long t, Runnable a) {
        if (n == slotAt.length) {
            grow();
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        fill(slot, a);
        siftUp(n++, t, slot);
        return slot;
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

    /**
     * Removes the earliest pending event and returns its action, or returns {@code null} when
     * none is pending; the event's time is then {@link #polledTime}. (The engine's step.)
     */
    public Runnable pollOrNull() {
        dropDeadRoots();
        if (n == 0) {
            return null;
        }
        int slot = slotAt[0];
        Runnable a = action[slot];
        polledTime = time[0];
        kill(slot);
        return a;
    }

    /** Time of the event last removed by {@link #pollOrNull}. */
    public long polledTime() { return polledTime; }

    /** Cancels a pending event; false when the handle is stale (ran, cancelled, or unknown). */
    public boolean cancel(long handle) {
        int slot = (int) handle;
        // a live slot has an odd generation, and only the handle of its current event matches it
        if (slot < 0 || slot >= nextSlot || generation[slot] != (int) (handle >>> 32) || isDead(slot)) {
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
        // skip the reference store when an action re-schedules itself (a periodic handler, the
        // hold model): a store into an old-generation array costs a GC write barrier
        if (action[slot] != a) {
            action[slot] = a;
        }
        generation[slot]++; // odd: live
        seqOf[slot] = nextSeq++;
        live++;
    }

    private void kill(int slot) {
        generation[slot]++; // even: dead; the action stays until the slot is freed or reused
        live--;
    }

    private boolean isDead(int slot) {
        return (generation[slot] & 1) == 0;
    }

    private void free(int slot) {
        action[slot] = null; // let the action be collected
        freeSlots[freeCount++] = slot;
    }

    /** Drops dead entries from the root until it is live (or the heap is empty). */
    private void dropDeadRoots() {
        while (n > live && isDead(slotAt[0])) {
            free(slotAt[0]);
            int last = --n;
            long lt = time[last];
            time[last] = Long.MAX_VALUE;
            if (last > 0) {
                siftDown(0, lt, slotAt[last]);
            }
        }
    }

    /** Removes every dead entry and re-heapifies (Floyd), O(n). */
    private void rebuild() {
        int m = 0;
        for (int i = 0; i < n; i++) {
            int s = slotAt[i];
            if (isDead(s)) {
                free(s);
            } else {
                time[m] = time[i];
                slotAt[m] = s;
                m++;
            }
        }
        Arrays.fill(time, m, n, Long.MAX_VALUE);
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

    /**
     * Moves the hole at {@code pos} down to where {@code (t, slot)} belongs. The smallest of the
     * four children is picked by a branch-free tournament on times, in plain arithmetic (the
     * comparisons are coin flips, so branches would mispredict about half the time: this alone
     * halves the cost of a hold); only when two candidate times are equal does the exact
     * (time, sequence) rule decide. Positions past the end hold {@link Long#MAX_VALUE}
     * (see {@link #PAD}) so every group of four children can be read whole.
     */
    private void siftDown(int pos, long t, int slot) {
        long[] tm = time;
        int[] sa = slotAt;
        int size = n;
        while (true) {
            int c = (pos << SHIFT) + 1;
            if (c >= size) {
                break;
            }
            long t1 = tm[c];
            long t2 = tm[c + 1];
            long t3 = tm[c + 2];
            long t4 = tm[c + 3];
            // arithmetic selection (times are non-negative, so differences cannot overflow):
            // mask is -1 when the right operand is smaller
            long d12 = t2 - t1;
            long k12 = d12 >> 63;
            long m12 = t1 + (d12 & k12);
            int i12 = c - (int) k12;
            long d34 = t4 - t3;
            long k34 = d34 >> 63;
            long m34 = t3 + (d34 & k34);
            int i34 = c + 2 - (int) k34;
            long d = m34 - m12;
            long k = d >> 63;
            long bt = m12 + (d & k);
            int best = i12 + ((i34 - i12) & (int) k);
            if (t1 == t2 | t3 == t4 | m12 == m34) {
                best = exactBestChild(c, size);
                bt = tm[best];
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

    /** The child of the group starting at {@code c} that orders first by (time, sequence). */
    private int exactBestChild(int c, int size) {
        int best = c;
        long bt = time[c];
        int end = Math.min(c + ARITY, size);
        for (int k = c + 1; k < end; k++) {
            long kt = time[k];
            if (kt < bt || (kt == bt && seqOf[slotAt[k]] < seqOf[slotAt[best]])) {
                best = k;
                bt = kt;
            }
        }
        return best;
    }

    private static RuntimeException badAdd(long t, Runnable a) {
        if (a == null) {
            return new NullPointerException("event action is null");
        }
        return new IllegalArgumentException("event time " + t + " ns is negative");
    }

    private void grow() {
        int c = slotAt.length * 2;
        int old = time.length;
        time = Arrays.copyOf(time, c + PAD);
        Arrays.fill(time, old, c + PAD, Long.MAX_VALUE);
        slotAt = Arrays.copyOf(slotAt, c);
        action = Arrays.copyOf(action, c);
        seqOf = Arrays.copyOf(seqOf, c);
        generation = Arrays.copyOf(generation, c);
        freeSlots = Arrays.copyOf(freeSlots, c);
    }
}
