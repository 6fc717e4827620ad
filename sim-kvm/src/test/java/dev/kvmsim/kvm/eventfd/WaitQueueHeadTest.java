package dev.kvmsim.kvm.eventfd;

import static dev.kvmsim.kvm.eventfd.WaitQueueEntry.WQ_FLAG_EXCLUSIVE;
import static dev.kvmsim.kvm.eventfd.WaitQueueEntry.WQ_FLAG_PRIORITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.kvm.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kernel/sched/wait.c (6.17): add_wait_queue*, remove_wait_queue, __wake_up_common. */
class WaitQueueHeadTest {
    private final List<String> calls = new ArrayList<>();

    private WaitQueueEntry entry(String name, int ret) {
        return new WaitQueueEntry((e, mode, key) -> {
            calls.add(name);
            return ret;
        }, name, 0);
    }

    private static List<Object> order(WaitQueueHead q) {
        List<Object> out = new ArrayList<>();
        q.entries().forEach(e -> out.add(e.priv()));
        return out;
    }

    @Test
    void addWaitQueue_addsAtHeadOfPlainEntriesAfterPriorityOnes() {
        // __add_wait_queue: list_add after the last WQ_FLAG_PRIORITY entry
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("a", 0));
        q.addWaitQueuePriority(entry("p", 0));
        q.addWaitQueue(entry("b", 0));
        assertEquals(List.of("p", "b", "a"), order(q));
    }

    @Test
    void addWaitQueue_clearsExclusiveFlag() {
        WaitQueueHead q = new WaitQueueHead();
        WaitQueueEntry e = entry("a", 0);
        e.setFlags(WQ_FLAG_EXCLUSIVE);
        q.addWaitQueue(e);
        assertEquals(0, e.flags() & WQ_FLAG_EXCLUSIVE);
    }

    @Test
    void addWaitQueueExclusive_setsExclusiveAndAddsAtTail() {
        WaitQueueHead q = new WaitQueueHead();
        WaitQueueEntry x = entry("x", 0);
        q.addWaitQueueExclusive(x);
        q.addWaitQueue(entry("a", 0));
        assertEquals(List.of("a", "x"), order(q));
        assertTrue((x.flags() & WQ_FLAG_EXCLUSIVE) != 0);
    }

    @Test
    void addWaitQueuePriorityExclusive_goesToHeadOfQueueWithPlainEntries() {
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("a", 0));
        WaitQueueEntry p = entry("p", 0);
        assertEquals(0, q.addWaitQueuePriorityExclusive(p));
        assertEquals(List.of("p", "a"), order(q));
        assertEquals(WQ_FLAG_EXCLUSIVE | WQ_FLAG_PRIORITY, p.flags());
    }

    @Test
    void addWaitQueuePriorityExclusive_failsWithEbusyWhenFirstEntryIsPriority() {
        // 6.17 add_wait_queue_priority_exclusive: one priority waiter per queue
        WaitQueueHead q = new WaitQueueHead();
        assertEquals(0, q.addWaitQueuePriorityExclusive(entry("p1", 0)));
        WaitQueueEntry p2 = entry("p2", 0);
        assertEquals(Errno.EBUSY.neg(), q.addWaitQueuePriorityExclusive(p2));
        assertFalse(p2.queued());
        assertEquals(List.of("p1"), order(q));
    }

    @Test
    void removeWaitQueue_unlinksEntry() {
        WaitQueueHead q = new WaitQueueHead();
        WaitQueueEntry a = entry("a", 0);
        q.addWaitQueue(a);
        q.addWaitQueue(entry("b", 0));
        q.removeWaitQueue(a);
        assertFalse(a.queued());
        assertEquals(List.of("b"), order(q));
        assertEquals(1, q.size());
        q.removeWaitQueue(a); // not queued: nothing happens
        assertEquals(1, q.size());
    }

    @Test
    void wakeUpCommon_callsEveryNonExclusiveEntry() {
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("a", 1));
        q.addWaitQueue(entry("b", 1));
        q.wakeUpLockedPoll(Poll.EPOLLIN);
        assertEquals(List.of("b", "a"), calls);
    }

    @Test
    void wakeUpCommon_negativeReturnStopsTheWalk() {
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("a", 1));
        q.addWaitQueue(entry("b", -1));
        q.wakeUpLockedPoll(Poll.EPOLLIN);
        assertEquals(List.of("b"), calls);
    }

    @Test
    void wakeUpCommon_exclusiveEntryReturningNonZeroStopsAtNrExclusiveOne() {
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("plain", 1));
        q.addWaitQueueExclusive(entry("x1", 1));
        q.addWaitQueueExclusive(entry("x2", 1));
        assertEquals(0, q.wakeUpCommon(Poll.TASK_NORMAL, 1, Poll.EPOLLIN));
        assertEquals(List.of("plain", "x1"), calls);
    }

    @Test
    void wakeUpCommon_exclusiveEntryReturningZeroDoesNotCount() {
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueueExclusive(entry("x1", 0));
        q.addWaitQueueExclusive(entry("x2", 1));
        q.addWaitQueueExclusive(entry("x3", 1));
        q.wakeUpLockedPoll(Poll.EPOLLIN);
        assertEquals(List.of("x1", "x2"), calls);
    }

    @Test
    void wakeUpCommon_priorityExclusiveEntryReturningOneHidesTheOthers() {
        // the irqfd case (5.11+): irqfd_wakeup returns 1 from a priority exclusive entry
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("poller", 1));
        q.addWaitQueuePriorityExclusive(entry("irqfd", 1));
        q.wakeUpLockedPoll(Poll.EPOLLIN);
        assertEquals(List.of("irqfd"), calls);
    }

    @Test
    void wakeUpCommon_entryMayRemoveItselfDuringTheWalk() {
        // list_for_each_entry_safe_from: the next pointer is read before the callback
        WaitQueueHead q = new WaitQueueHead();
        q.addWaitQueue(entry("a", 1));
        q.addWaitQueue(new WaitQueueEntry((e, m, k) -> {
            calls.add("self-removing");
            q.removeWaitQueue(e);
            return 1;
        }));
        q.wakeUpLockedPoll(Poll.EPOLLIN);
        assertEquals(List.of("self-removing", "a"), calls);
        assertEquals(1, q.size());
    }

    @Test
    void wakeUpCommon_passesTheKeyAndMode() {
        WaitQueueHead q = new WaitQueueHead();
        int[] seen = new int[2];
        q.addWaitQueue(new WaitQueueEntry((e, mode, key) -> {
            seen[0] = mode;
            seen[1] = key;
            return 0;
        }));
        q.wakeUpPoll(Poll.EPOLLHUP);
        assertEquals(Poll.TASK_NORMAL, seen[0]);
        assertEquals(Poll.EPOLLHUP, seen[1]);
    }
}
