package dev.kvmsim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventQueueTest {
    private static final Runnable A = () -> { };
    private static final Runnable B = () -> { };
    private static final Runnable C = () -> { };

    @Test
    void empty_peekTimeIsMaxAndPollThrows() {
        EventQueue q = new EventQueue();
        assertTrue(q.isEmpty());
        assertEquals(Long.MAX_VALUE, q.peekTime());
        assertThrows(IllegalStateException.class, q::poll);
    }

    @Test
    void poll_thenAdd_replacesTheRetiredRoot() {
        EventQueue q = new EventQueue(4);
        q.add(5, A);
        q.add(7, B);
        assertSame(A, q.poll());
        assertEquals(1, q.size());
        q.add(6, C); // lands on the dead root's position, sifts down below nothing
        assertEquals(6, q.peekTime());
        assertSame(C, q.poll());
        assertSame(B, q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void cancelledRoot_isSkipped() {
        EventQueue q = new EventQueue();
        long h = q.add(1, A);
        q.add(2, B);
        assertTrue(q.cancel(h));
        assertEquals(2, q.peekTime());
        assertSame(B, q.poll());
    }

    @Test
    void growsPastItsInitialCapacity() {
        EventQueue q = new EventQueue(4);
        for (int i = 1000; i > 0; i--) {
            q.add(i, A);
        }
        for (int i = 1; i <= 1000; i++) {
            assertEquals(i, q.peekTime());
            q.poll();
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void massCancellation_rebuildsAndKeepsTheRest() {
        EventQueue q = new EventQueue();
        long[] h = new long[10_000];
        for (int i = 0; i < h.length; i++) {
            h[i] = q.add(i, A);
        }
        for (int i = 0; i < h.length; i++) {
            if (i % 100 != 7) {
                assertTrue(q.cancel(h[i]));
            }
        }
        assertEquals(100, q.size());
        for (int i = 7; i < h.length; i += 100) {
            assertEquals(i, q.peekTime());
            q.poll();
            assertFalse(q.cancel(h[i]));
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void handles_ofReusedSlots_areDistinct() {
        EventQueue q = new EventQueue();
        long first = q.add(1, A);
        q.poll();
        long second = q.add(2, B); // reuses the slot of the retired root
        assertEquals((int) first, (int) second);
        assertFalse(first == second);
        assertFalse(q.cancel(first));
        assertTrue(q.cancel(second));
    }

    @Test
    void add_negativeTimeOrNullAction_isRejected() {
        EventQueue q = new EventQueue();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.add(-1, A));
        assertEquals("event time -1 ns is negative", e.getMessage());
        assertThrows(NullPointerException.class, () -> q.add(1, null));
        assertTrue(q.isEmpty());
    }

    @Test
    void extremeTimes_orderCorrectly() {
        // the branch-free sift subtracts times: 0 and Long.MAX_VALUE must not overflow it
        EventQueue q = new EventQueue();
        q.add(Long.MAX_VALUE, C);
        q.add(0, A);
        q.add(Long.MAX_VALUE, B);
        for (int i = 1; i <= 20; i++) {
            q.add(Long.MAX_VALUE - i, B);
        }
        assertSame(A, q.poll());
        for (int i = 20; i >= 1; i--) {
            assertEquals(Long.MAX_VALUE - i, q.peekTime());
            q.poll();
        }
        assertEquals(Long.MAX_VALUE, q.peekTime());
        assertSame(C, q.poll()); // FIFO among the two at Long.MAX_VALUE
        assertSame(B, q.poll());
        assertTrue(q.isEmpty());
    }
}
