package dev.kvmsim.kvm.eventfd;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One process's file descriptor table ({@code struct files_struct}), holding eventfds and, for
 * error paths, one kind of other file (an open {@code /dev/null}). Descriptors are allocated
 * lowest-free from 3 (0-2 are the standard streams, not modelled).
 *
 * <p>Caveats: single simulation thread. {@link #unusedFd()} is a number above
 * {@code fs.nr_open} (1048576), so it never becomes valid.
 */
public final class FdTable {
    /** Descriptors at or above this are never allocated (the default {@code fs.nr_open}). */
    public static final int NR_OPEN = 1 << 20;
    private static final int FIRST_FD = 3;
    private static final Object DEV_NULL = new Object() {
        @Override public String toString() { return "/dev/null"; }
    };

    private final Kernel env;
    private final Map<Integer, Object> files = new HashMap<>();
    /** files->next_fd: every descriptor below it is open. */
    private int nextFd = FIRST_FD;

    public FdTable(Kernel env) {
        this.env = env;
    }

    public Kernel kernel() { return env; }

    /** {@link #eventfd2(String, long, int)} with the name {@code "eventfd<fd>"}. */
    public int eventfd2(long initial, int flags) {
        return eventfd2(null, initial, flags);
    }

    /**
     * Models fs/eventfd.c eventfd2 / do_eventfd: unknown flag bits ({@code ~EFD_FLAGS_SET}) ->
     * -EINVAL; an initial value above the unsigned int range -> -EINVAL (the syscall takes an
     * {@code unsigned int}); else the lowest free descriptor.
     */
    public int eventfd2(String name, long initial, int flags) {
        if ((flags & ~EventfdCtx.EFD_FLAGS_SET) != 0) {
            return Errno.EINVAL.neg();
        }
        if (initial < 0 || initial > 0xffffffffL) {
            return Errno.EINVAL.neg();
        }
        int fd = lowestFree();
        files.put(fd, new EventfdCtx(env, name != null ? name : "eventfd" + fd, initial, flags));
        return fd;
    }

    /** Opens a file that is not an eventfd ({@code /dev/null}); for the scenario token {@code @notevent}. */
    public int openNonEventfd() {
        int fd = lowestFree();
        files.put(fd, DEV_NULL);
        return fd;
    }

    /** A descriptor that is not open and never will be; for the scenario token {@code @badfd}. */
    public int unusedFd() {
        return NR_OPEN;
    }

    /** True if {@code fd} is open. */
    public boolean isOpen(int fd) {
        return files.containsKey(fd);
    }

    /** The eventfd open at {@code fd} (no reference taken), or null if none. */
    public EventfdCtx eventfd(int fd) {
        return files.get(fd) instanceof EventfdCtx ctx ? ctx : null;
    }

    /** The counters of the eventfd open at {@code fd}, a view that outlives a later close; null if none. */
    public EventfdCounters eventfdCounters(int fd) {
        return eventfd(fd);
    }

    /**
     * An in-kernel user of the eventfd at {@code fd}, as a module holding it would signal it:
     * eventfd_ctx_fdget (-EBADF, -EINVAL), {@code n} calls of eventfd_signal, eventfd_ctx_put.
     * Returns 0 or the negative errno.
     */
    public int kernelSignal(int fd, long n) {
        CtxResult c = eventfdCtxFdget(fd);
        if (!c.ok()) {
            return c.errno().neg();
        }
        try {
            c.ctx().eventfdSignal(n);
        } finally {
            c.ctx().ctxPut();
        }
        return 0;
    }

    /**
     * Models fs/eventfd.c eventfd_ctx_fdget: no file -> EBADF; not an eventfd -> EINVAL; else
     * the context with a context reference taken for the caller (drop it with
     * {@link EventfdCtx#ctxPut}).
     */
    public CtxResult eventfdCtxFdget(int fd) {
        Object f = files.get(fd);
        if (f == null) {
            return CtxResult.error(Errno.EBADF);
        }
        if (!(f instanceof EventfdCtx ctx)) {
            return CtxResult.error(Errno.EINVAL);
        }
        ctx.ctxGet();
        return CtxResult.of(ctx);
    }

    /**
     * close(2): -EBADF if not open; else the descriptor goes and its file reference is dropped
     * (the last one runs eventfd_release: EPOLLHUP). Returns 0 or -EBADF.
     */
    public int close(int fd) {
        Object f = files.remove(fd);
        if (f == null) {
            return Errno.EBADF.neg();
        }
        if (fd < nextFd) {
            nextFd = fd;
        }
        if (f instanceof EventfdCtx ctx) {
            ctx.filePut();
        }
        return 0;
    }

    /** read(2) on {@code fd}: EBADF if not open; /dev/null reads end-of-file (value 0). */
    public EventfdResult read(int fd, Consumer<EventfdResult> done) {
        Object f = files.get(fd);
        if (f == null) {
            return EventfdResult.error(Errno.EBADF);
        }
        if (f instanceof EventfdCtx ctx) {
            return ctx.read(done);
        }
        return EventfdResult.value(0);
    }

    /** write(2) of 8 bytes on {@code fd}: EBADF if not open; /dev/null takes anything. */
    public EventfdResult write(int fd, long value, Consumer<EventfdResult> done) {
        Object f = files.get(fd);
        if (f == null) {
            return EventfdResult.error(Errno.EBADF);
        }
        if (f instanceof EventfdCtx ctx) {
            return ctx.write(value, done);
        }
        return EventfdResult.WRITTEN;
    }

    /**
     * Models fs/file.c alloc_fd: the lowest free descriptor, searched from {@code files->next_fd}
     * (no descriptor below it is free), which moves past each allocation and back down on
     * close (__put_unused_fd): N allocations cost O(N), not O(N^2).
     */
    private int lowestFree() {
        int fd = nextFd;
        while (files.containsKey(fd)) {
            fd++;
        }
        nextFd = fd + 1;
        return fd;
    }
}
