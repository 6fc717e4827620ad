package dev.kvmsim.kvm.eventfd;

/**
 * A {@code struct wait_queue_entry}: flags, a wake function, a private owner and the poll mask
 * it waits for ({@code key}, as {@code poll_table_entry.key}). Intrusive: it is on at most one
 * {@link WaitQueueHead} at a time.
 */
public final class WaitQueueEntry {
    /** include/linux/wait.h WQ_FLAG_EXCLUSIVE. */
    public static final int WQ_FLAG_EXCLUSIVE = 0x01;
    /** include/linux/wait.h WQ_FLAG_WOKEN. */
    public static final int WQ_FLAG_WOKEN = 0x02;
    /** include/linux/wait.h WQ_FLAG_PRIORITY. */
    public static final int WQ_FLAG_PRIORITY = 0x10;

    int flags;
    private WakeFunction func;
    private Object priv;
    private int key;
    WaitQueueEntry prev;
    WaitQueueEntry next;
    WaitQueueHead head;

    /** An entry with a wake function and no owner. */
    public WaitQueueEntry(WakeFunction func) {
        this.func = func;
    }

    /** An entry with a wake function, an owner ({@code private}) and the poll mask it waits for. */
    public WaitQueueEntry(WakeFunction func, Object priv, int key) {
        this.func = func;
        this.priv = priv;
        this.key = key;
    }

    /** Models include/linux/wait.h init_waitqueue_func_entry. */
    public void setFunc(WakeFunction func) { this.func = func; }

    public WakeFunction func() { return func; }

    public int flags() { return flags; }

    public void setFlags(int flags) { this.flags = flags; }

    public Object priv() { return priv; }

    public void setPriv(Object priv) { this.priv = priv; }

    /** The poll mask this entry waits for (0: any). */
    public int key() { return key; }

    public void setKey(int key) { this.key = key; }

    /** True while the entry is on a queue ({@code !list_empty(&entry)}). */
    public boolean queued() { return head != null; }

    /** The queue it is on, or null. */
    public WaitQueueHead head() { return head; }

    int wake(int mode, int wakeKey) {
        return func.wake(this, mode, wakeKey);
    }

    @Override public String toString() {
        return "wait_queue_entry[flags=0x" + Integer.toHexString(flags) + (priv == null ? "" : ", " + priv) + "]";
    }
}
