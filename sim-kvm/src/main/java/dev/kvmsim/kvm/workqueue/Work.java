package dev.kvmsim.kvm.workqueue;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code struct work_struct}: a function and the WORK_STRUCT_PENDING bit. A work function
 * either completes when it returns ({@link #Work(String, Runnable)}) or takes simulated time
 * and says when it is done ({@link #Work(String, Function)}: it calls {@code done.run()}), so a
 * work function can wait (flush another work, a synchronize) as kernel code sleeps.
 */
public final class Work {
    /** A work function that finishes by calling {@code done}. */
    @FunctionalInterface
    public interface Function {
        void run(Work work, Runnable done);
    }

    private final String name;
    private final Function fn;
    boolean pending;
    /** On a worklist (queued, not yet taken by a worker). */
    boolean onList;
    /** Taken by a worker and not yet finished. */
    boolean inFlight;
    /** The sequence number of the queued instance. */
    long queuedSeq;
    long completedRuns;
    private List<long[]> flushTargets;
    private List<Runnable> flushDone;

    /** A work item whose function completes when it returns. */
    public Work(String name, Runnable fn) {
        this(name, (w, done) -> {
            fn.run();
            done.run();
        });
    }

    /** A work item whose function completes when it calls {@code done}. */
    public Work(String name, Function fn) {
        this.name = name;
        this.fn = fn;
    }

    public String name() { return name; }

    /** work_pending: the PENDING bit. */
    public boolean pending() { return pending; }

    /** True while a worker runs (or is about to run) this item. */
    public boolean running() { return inFlight; }

    /** Times the function has finished. */
    public long runs() { return completedRuns; }

    Function fn() { return fn; }

    /** Registers a flush that completes once {@code completedRuns >= target}. */
    void addFlush(long target, Runnable done) {
        if (flushTargets == null) {
            flushTargets = new ArrayList<>(2);
            flushDone = new ArrayList<>(2);
        }
        flushTargets.add(new long[] {target});
        flushDone.add(done);
    }

    /** Called when a run finished: completes the flushes that waited for it. */
    void finished() {
        completedRuns++;
        if (flushTargets == null || flushTargets.isEmpty()) {
            return;
        }
        List<Runnable> ready = new ArrayList<>();
        for (int i = flushTargets.size() - 1; i >= 0; i--) {
            if (flushTargets.get(i)[0] <= completedRuns) {
                flushTargets.remove(i);
                ready.add(0, flushDone.remove(i));
            }
        }
        ready.forEach(Runnable::run);
    }

    @Override public String toString() { return name; }
}
