package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.kvm.Errno;

/**
 * The result of {@link FdTable#eventfdCtxFdget}: the context (a reference taken for the caller)
 * or the errno ({@code EBADF}: no file; {@code EINVAL}: not an eventfd).
 */
public record CtxResult(EventfdCtx ctx, Errno errno) {
    public static CtxResult of(EventfdCtx ctx) {
        return new CtxResult(ctx, null);
    }

    public static CtxResult error(Errno errno) {
        return new CtxResult(null, errno);
    }

    public boolean ok() { return ctx != null; }

    /** The kernel-style return: 0, or -errno. */
    public int ret() { return ctx != null ? 0 : errno.neg(); }
}
