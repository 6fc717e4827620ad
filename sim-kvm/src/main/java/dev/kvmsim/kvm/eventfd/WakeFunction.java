package dev.kvmsim.kvm.eventfd;

/**
 * A wait-queue entry's callback ({@code wait_queue_func_t}). {@code key} is the poll mask of
 * the wakeup (0 for a wakeup without a key). A negative return stops the wake walk; a
 * non-zero return on an exclusive entry counts against nr_exclusive.
 */
@FunctionalInterface
public interface WakeFunction {
    int wake(WaitQueueEntry entry, int mode, int key);
}
