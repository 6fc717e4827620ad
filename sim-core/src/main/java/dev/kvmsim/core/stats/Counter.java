package dev.kvmsim.core.stats;

/** A named monotonic count (exits, signals, injections). Not thread-safe. */
public final class Counter {
    private final String name;
    private long value;

    Counter(String name) {
        this.name = name;
    }

    public String name() { return name; }

    public void increment() { value++; }

    public void add(long n) { value += n; }

    public long get() { return value; }

    @Override public String toString() { return name + "=" + value; }
}
