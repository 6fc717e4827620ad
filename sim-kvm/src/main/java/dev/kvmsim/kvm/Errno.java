package dev.kvmsim.kvm;

/**
 * The errno values the modelled ioctls and system calls return, with their x86-64 Linux
 * numbers ({@code include/uapi/asm-generic/errno-base.h}, {@code errno.h}).
 *
 * <p>Internals use the kernel's convention (a negative {@code int}, {@code -EOPNOTSUPP}) via
 * {@link #neg()}; the facade returns the enum.
 */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), ENXIO(6), EBADF(9), EAGAIN(11), ENOMEM(12), EFAULT(14),
    EBUSY(16), EEXIST(17), EINVAL(22), ENOSPC(28), EOPNOTSUPP(95), ERESTARTSYS(512);

    /** EWOULDBLOCK is EAGAIN on Linux. */
    public static final Errno EWOULDBLOCK = EAGAIN;

    private final int code;

    Errno(int code) { this.code = code; }

    public int code() { return code; }

    /** The kernel-internal return value, {@code -code}. */
    public int neg() { return -code; }

    /** The errno for a negative kernel return value, or null when {@code r >= 0} or unknown. */
    public static Errno fromNeg(long r) {
        if (r >= 0) {
            return null;
        }
        for (Errno e : values()) {
            if (e.code == -r) {
                return e;
            }
        }
        return null;
    }

    /** Looks an errno up by name ({@code "EEXIST"}); {@code EWOULDBLOCK} is accepted. */
    public static Errno byName(String name) {
        if ("EWOULDBLOCK".equals(name)) {
            return EAGAIN;
        }
        for (Errno e : values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }
}
