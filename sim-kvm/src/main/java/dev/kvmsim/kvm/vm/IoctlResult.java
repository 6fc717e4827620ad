package dev.kvmsim.kvm.vm;

import dev.kvmsim.kvm.Errno;

import java.util.Optional;

/**
 * What an ioctl returned: a non-negative value, or a negative errno (kernel-style {@code ret}).
 * {@code toString} prints {@code ok}, {@code ok(3)} or the errno name.
 */
public record IoctlResult(long ret) {
    public static final IoctlResult OK = new IoctlResult(0);

    public static IoctlResult ofValue(long value) {
        return value == 0 ? OK : new IoctlResult(value);
    }

    public static IoctlResult error(Errno errno) {
        return new IoctlResult(errno.neg());
    }

    /** From a kernel-style return (0, a value, or -errno). */
    public static IoctlResult ofKernel(long ret) {
        return ret == 0 ? OK : new IoctlResult(ret);
    }

    public boolean ok() { return ret >= 0; }

    /** The errno, empty on success. */
    public Optional<Errno> errno() { return Optional.ofNullable(Errno.fromNeg(ret)); }

    /** The value on success (0 for most ioctls). */
    public long value() { return ret; }

    @Override
    public String toString() {
        if (ret >= 0) {
            return ret == 0 ? "ok" : "ok(" + ret + ")";
        }
        Errno e = Errno.fromNeg(ret);
        return e != null ? e.name() : "errno " + (-ret);
    }
}
