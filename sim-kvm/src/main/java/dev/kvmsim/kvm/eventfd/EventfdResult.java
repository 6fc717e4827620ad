package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.kvm.Errno;
import java.util.Objects;

/**
 * The outcome of a read(2)/write(2) on an eventfd: a value (what read returned; 8, the bytes
 * written, for a write), an {@link Errno}, or {@code BLOCKED} (the call sleeps; its completion
 * comes later through the caller's callback).
 */
public final class EventfdResult {
    public enum Kind { OK, ERROR, BLOCKED }

    public static final EventfdResult BLOCKED = new EventfdResult(Kind.BLOCKED, 0, null);
    /** A successful write: 8 bytes written. */
    public static final EventfdResult WRITTEN = new EventfdResult(Kind.OK, 8, null);

    private final Kind kind;
    private final long value;
    private final Errno errno;

    private EventfdResult(Kind kind, long value, Errno errno) {
        this.kind = kind;
        this.value = value;
        this.errno = errno;
    }

    /** A successful read of {@code value} (unsigned). */
    public static EventfdResult value(long value) {
        return new EventfdResult(Kind.OK, value, null);
    }

    public static EventfdResult error(Errno errno) {
        return new EventfdResult(Kind.ERROR, 0, Objects.requireNonNull(errno));
    }

    public Kind kind() { return kind; }

    public boolean isOk() { return kind == Kind.OK; }

    public boolean isBlocked() { return kind == Kind.BLOCKED; }

    /** The value read (unsigned), or 8 for a write; 0 unless OK. */
    public long value() { return value; }

    /** The error, or null unless ERROR. */
    public Errno errno() { return errno; }

    @Override public boolean equals(Object o) {
        return o instanceof EventfdResult r && r.kind == kind && r.value == value && r.errno == errno;
    }

    @Override public int hashCode() { return Objects.hash(kind, value, errno); }

    @Override public String toString() {
        return switch (kind) {
            case OK -> "{value: " + Long.toUnsignedString(value) + "}";
            case ERROR -> errno.name();
            case BLOCKED -> "blocked";
        };
    }
}
