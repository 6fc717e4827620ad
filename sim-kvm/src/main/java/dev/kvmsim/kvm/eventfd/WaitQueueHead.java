package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.kvm.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code wait_queue_head_t}: a doubly-linked list of {@link WaitQueueEntry}s. Priority
 * entries sit at the head, then plain entries (added at the head of the plain part), exclusive
 * entries at the tail. Models kernel/sched/wait.c (6.17).
 *
 * <p>Caveats: single simulation thread; the kernel's {@code wqh.lock} is implicit (a simulated
 * kernel path runs within one event). The wake walk is safe against the callback removing its
 * own entry, as {@code list_for_each_entry_safe_from} is.
 */
public final class WaitQueueHead {
    /** List sentinel: {@code sentinel.next} is the first entry, {@code sentinel.prev} the last. */
    private final WaitQueueEntry sentinel = new WaitQueueEntry((e, m, k) -> 0);
    private int size;

    public WaitQueueHead() {
        sentinel.next = sentinel;
        sentinel.prev = sentinel;
    }

    /** Models wait.h waitqueue_active: true when any entry is queued. */
    public boolean waitqueueActive() {
        return sentinel.next != sentinel;
    }

    public int size() { return size; }

    /** The entries in list order (a copy, for tests and reports). */
    public List<WaitQueueEntry> entries() {
        List<WaitQueueEntry> out = new ArrayList<>(size);
        for (WaitQueueEntry e = sentinel.next; e != sentinel; e = e.next) {
            out.add(e);
        }
        return out;
    }

    /** The first entry, or null. */
    public WaitQueueEntry first() {
        return sentinel.next == sentinel ? null : sentinel.next;
    }

    /** Models kernel/sched/wait.c add_wait_queue: clears EXCLUSIVE, adds after the priority entries. */
    public void addWaitQueue(WaitQueueEntry e) {
        e.flags &= ~WaitQueueEntry.WQ_FLAG_EXCLUSIVE;
        addAfterPriority(e);
    }

    /** Models kernel/sched/wait.c add_wait_queue_exclusive: sets EXCLUSIVE, adds at the tail. */
    public void addWaitQueueExclusive(WaitQueueEntry e) {
        e.flags |= WaitQueueEntry.WQ_FLAG_EXCLUSIVE;
        addTail(e);
    }

    /** Models kernel/sched/wait.c add_wait_queue_priority: sets PRIORITY, adds after the priority entries. */
    public void addWaitQueuePriority(WaitQueueEntry e) {
        e.flags |= WaitQueueEntry.WQ_FLAG_PRIORITY;
        addAfterPriority(e);
    }

    /**
     * Models kernel/sched/wait.c add_wait_queue_priority_exclusive (6.17): sets EXCLUSIVE and
     * PRIORITY; fails with -EBUSY if the first entry already has PRIORITY (one priority
     * waiter per queue), else adds at the head. Returns 0 or -EBUSY.
     */
    public int addWaitQueuePriorityExclusive(WaitQueueEntry e) {
        e.flags |= WaitQueueEntry.WQ_FLAG_EXCLUSIVE | WaitQueueEntry.WQ_FLAG_PRIORITY;
        WaitQueueEntry first = sentinel.next;
        if (first != sentinel && (first.flags & WaitQueueEntry.WQ_FLAG_PRIORITY) != 0) {
            return Errno.EBUSY.neg();
        }
        link(e, sentinel);
        return 0;
    }

    /** Models wait.h __add_wait_queue_entry_tail. */
    public void addTail(WaitQueueEntry e) {
        link(e, sentinel.prev);
    }

    /** Models kernel/sched/wait.c remove_wait_queue (a no-op if the entry is not on this queue). */
    public void removeWaitQueue(WaitQueueEntry e) {
        if (e.head != this) {
            return;
        }
        e.prev.next = e.next;
        e.next.prev = e.prev;
        e.prev = null;
        e.next = null;
        e.head = null;
        size--;
    }

    /**
     * Models kernel/sched/wait.c __wake_up_common: calls each entry's wake function from the
     * head; a negative return stops; a non-zero return from an entry that was EXCLUSIVE when
     * called decrements {@code nrExclusive} and the walk stops when it reaches 0. Returns the
     * remaining nr_exclusive.
     */
    public int wakeUpCommon(int mode, int nrExclusive, int key) {
        WaitQueueEntry curr = sentinel.next;
        while (curr != sentinel) {
            WaitQueueEntry next = curr.next;
            int flags = curr.flags;
            int ret = curr.wake(mode, key);
            if (ret < 0) {
                break;
            }
            if (ret != 0 && (flags & WaitQueueEntry.WQ_FLAG_EXCLUSIVE) != 0 && --nrExclusive == 0) {
                break;
            }
            curr = next;
        }
        return nrExclusive;
    }

    /** Models wait.h wake_up_locked_poll: {@code __wake_up_locked_key(wqh, TASK_NORMAL, key)}, nr_exclusive 1. */
    public void wakeUpLockedPoll(int key) {
        wakeUpCommon(Poll.TASK_NORMAL, 1, key);
    }

    /** Models wait.h wake_up_poll: {@code __wake_up(wqh, TASK_NORMAL, 1, key)} (the lock is implicit). */
    public void wakeUpPoll(int key) {
        wakeUpCommon(Poll.TASK_NORMAL, 1, key);
    }

    /** Models wait.h __add_wait_queue: after the last PRIORITY entry (list_add after {@code head}). */
    private void addAfterPriority(WaitQueueEntry e) {
        WaitQueueEntry after = sentinel;
        for (WaitQueueEntry w = sentinel.next; w != sentinel; w = w.next) {
            if ((w.flags & WaitQueueEntry.WQ_FLAG_PRIORITY) == 0) {
                break;
            }
            after = w;
        }
        link(e, after);
    }

    private void link(WaitQueueEntry e, WaitQueueEntry after) {
        if (e.head != null) {
            throw new IllegalStateException("wait queue entry already queued: " + e);
        }
        e.prev = after;
        e.next = after.next;
        after.next.prev = e;
        after.next = e;
        e.head = this;
        size++;
    }
}
