package dev.kvmsim.kvm.eventfd;

/**
 * A {@code poll_table}: the queue procedure a file's poll method calls through
 * {@link #pollWait} to hook the caller's wait entry onto the file's queue, and the events
 * the caller is interested in. Models include/linux/poll.h.
 */
public final class PollTable {
    /** {@code poll_queue_proc}: installs the caller's entry on {@code wqh}. */
    @FunctionalInterface
    public interface QueueProc {
        void queue(EventfdCtx file, WaitQueueHead wqh, PollTable pt);
    }

    /** init_poll_funcptr's key: every event. */
    public static final int ALL_EVENTS = ~0;

    private QueueProc qproc;
    private int key;

    /** Models poll.h init_poll_funcptr (key = ~0). */
    public PollTable(QueueProc qproc) {
        this(qproc, ALL_EVENTS);
    }

    public PollTable(QueueProc qproc, int key) {
        this.qproc = qproc;
        this.key = key;
    }

    public QueueProc qproc() { return qproc; }

    /** do_select/do_poll set the queue procedure to null after the first pass. */
    public void setQproc(QueueProc qproc) { this.qproc = qproc; }

    /** The events of interest ({@code _key}). */
    public int key() { return key; }

    public void setKey(int key) { this.key = key; }

    /** Models poll.h poll_wait: calls the queue procedure if there is one. */
    public static void pollWait(EventfdCtx file, WaitQueueHead wqh, PollTable p) {
        if (p != null && p.qproc != null && wqh != null) {
            p.qproc.queue(file, wqh, p);
        }
    }
}
