package dev.kvmsim.kvm.eventfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.kvm.Errno;
import org.junit.jupiter.api.Test;

/** fs/eventfd.c eventfd_ctx_fdget and the descriptor table. */
class FdTableTest {
    private final EventfdTestSupport t = new EventfdTestSupport();

    @Test
    void eventfd2_allocatesTheLowestFreeDescriptorFromThree() {
        int a = t.fds.eventfd2(0, 0);
        int b = t.fds.eventfd2(0, 0);
        assertEquals(3, a);
        assertEquals(4, b);
        t.fds.close(a);
        assertEquals(3, t.fds.eventfd2(0, 0));
    }

    @Test
    void eventfd2_afterCloses_stillTakesTheLowestFree() {
        // fs/file.c alloc_fd: search from files->next_fd, which a close moves back down
        for (int i = 0; i < 6; i++) {
            t.fds.eventfd2(0, 0); // 3..8
        }
        t.fds.close(7);
        t.fds.close(5);
        assertEquals(5, t.fds.eventfd2(0, 0));
        assertEquals(7, t.fds.eventfd2(0, 0));
        assertEquals(9, t.fds.eventfd2(0, 0));
        t.fds.close(3);
        assertEquals(3, t.fds.openNonEventfd());
        assertEquals(10, t.fds.eventfd2(0, 0));
    }

    @Test
    void eventfdCtxFdget_ofADescriptorNotOpenIsEbadf() {
        assertEquals(Errno.EBADF, t.fds.eventfdCtxFdget(t.fds.unusedFd()).errno());
        assertEquals(Errno.EBADF.neg(), t.fds.eventfdCtxFdget(42).ret());
    }

    @Test
    void eventfdCtxFdget_ofAFileThatIsNotAnEventfdIsEinval() {
        int fd = t.fds.openNonEventfd();
        assertTrue(t.fds.isOpen(fd));
        assertEquals(Errno.EINVAL, t.fds.eventfdCtxFdget(fd).errno());
    }

    @Test
    void eventfdCtxFdget_takesAContextReference() {
        int fd = t.fds.eventfd2(0, 0);
        CtxResult r = t.fds.eventfdCtxFdget(fd);
        assertTrue(r.ok());
        assertEquals(0, r.ret());
        assertSame(t.fds.eventfd(fd), r.ctx());
        assertEquals(2, r.ctx().ctxRefs());
        r.ctx().ctxPut();
        assertEquals(1, r.ctx().ctxRefs());
    }

    @Test
    void close_ofADescriptorNotOpenIsEbadf() {
        assertEquals(Errno.EBADF.neg(), t.fds.close(t.fds.unusedFd()));
        int fd = t.fds.eventfd2(0, 0);
        assertEquals(0, t.fds.close(fd));
        assertEquals(Errno.EBADF.neg(), t.fds.close(fd));
        assertFalse(t.fds.isOpen(fd));
    }

    @Test
    void unusedFd_neverBecomesValid() {
        for (int i = 0; i < 100; i++) {
            t.fds.eventfd2(0, 0);
        }
        assertFalse(t.fds.isOpen(t.fds.unusedFd()));
    }

    @Test
    void readAndWriteByDescriptor_reachTheEventfdOrFailWithEbadf() {
        int fd = t.fds.eventfd2(0, EventfdCtx.EFD_NONBLOCK);
        assertEquals(EventfdResult.WRITTEN, t.fds.write(fd, 3, r -> { }));
        assertEquals(EventfdResult.value(3), t.fds.read(fd, r -> { }));
        assertEquals(EventfdResult.error(Errno.EBADF), t.fds.read(t.fds.unusedFd(), r -> { }));
        assertEquals(EventfdResult.error(Errno.EBADF), t.fds.write(t.fds.unusedFd(), 1, r -> { }));
    }
}
