package dev.kvmsim.kvm.eventfd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kvmsim.kvm.Errno;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * fs/eventfd.c counter rules as a property, checked against an independent reference written
 * from the kernel source with unbounded integers: for any sequence of write(2), in-kernel
 * signals and read(2) on a non-blocking eventfd (no waiters), every result, the counter and the
 * poll mask are the kernel's.
 * <ul>
 *   <li>eventfd_write: 0xFFFFFFFFFFFFFFFF is -EINVAL; the write proceeds iff
 *       {@code ULLONG_MAX - count > value}, else -EAGAIN (O_NONBLOCK); success adds the value.
 *   <li>eventfd_signal_mask: +1 unless the counter is ULLONG_MAX (it saturates, never wraps);
 *       {@code n} signals are n such calls.
 *   <li>eventfd_read / eventfd_ctx_do_read: 0 is -EAGAIN; else 1 (EFD_SEMAPHORE) or the whole
 *       counter, subtracted.
 *   <li>eventfd_poll: EPOLLIN iff count &gt; 0, EPOLLOUT iff count &lt; ULLONG_MAX - 1,
 *       EPOLLERR iff count == ULLONG_MAX.
 * </ul>
 */
class EventfdCounterPropertyTest {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** kind 0: write(value); 1: eventfd_signal; 2: read; 3: value (unsigned) eventfd_signal calls. */
    record Op(int kind, long value) { }

    @Provide
    Arbitrary<List<Op>> ops() {
        // values near the top of the range, so that the overflow rules (EAGAIN, EPOLLERR,
        // saturation) are reached often, not only by chance
        Arbitrary<Long> values = Arbitraries.oneOf(
            Arbitraries.longs().between(0, 10),
            Arbitraries.longs(),
            Arbitraries.of(-1L, -2L, -3L, Long.MAX_VALUE, Long.MIN_VALUE, 0xfffffffffffffff0L));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 3), values).as(Op::new);
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void resultsCounterAndPollMaskFollowFsEventfdC(@ForAll("ops") List<Op> ops, @ForAll boolean semaphore) {
        EventfdTestSupport t = new EventfdTestSupport();
        EventfdCtx ctx = t.create(0, EventfdCtx.EFD_NONBLOCK | (semaphore ? EventfdCtx.EFD_SEMAPHORE : 0));
        BigInteger count = BigInteger.ZERO;
        for (Op op : ops) {
            BigInteger v = new BigInteger(Long.toUnsignedString(op.value()));
            switch (op.kind()) {
                case 0 -> {
                    EventfdResult r = ctx.write(op.value());
                    if (v.equals(MAX)) {
                        assertEquals(EventfdResult.error(Errno.EINVAL), r, "write(ULLONG_MAX)");
                    } else if (MAX.subtract(count).compareTo(v) > 0) {
                        assertEquals(EventfdResult.WRITTEN, r, "write(" + v + ") on " + count);
                        count = count.add(v);
                    } else {
                        assertEquals(EventfdResult.error(Errno.EAGAIN), r, "write(" + v + ") on " + count);
                    }
                }
                case 1 -> {
                    ctx.eventfdSignal();
                    count = count.add(BigInteger.ONE).min(MAX);
                }
                case 3 -> {
                    ctx.eventfdSignal(op.value());
                    count = count.add(v).min(MAX);
                }
                default -> {
                    EventfdResult r = ctx.read();
                    if (count.signum() == 0) {
                        assertEquals(EventfdResult.error(Errno.EAGAIN), r, "read of 0");
                    } else {
                        BigInteger want = semaphore ? BigInteger.ONE : count;
                        assertEquals(EventfdResult.value(want.longValue()), r, "read of " + count);
                        count = count.subtract(want);
                    }
                }
            }
            assertEquals(Long.toUnsignedString(count.longValue()), Long.toUnsignedString(ctx.count()), "counter after " + op);
            assertEquals(pollMask(count), ctx.poll(), "poll mask on " + count);
        }
    }

    /** fs/eventfd.c eventfd_poll's mask for {@code count}, from the source's three tests. */
    private static int pollMask(BigInteger count) {
        int m = 0;
        if (count.signum() > 0) {
            m |= Poll.EPOLLIN;
        }
        if (count.equals(MAX)) {
            m |= Poll.EPOLLERR;
        }
        if (count.compareTo(MAX.subtract(BigInteger.ONE)) < 0) {
            m |= Poll.EPOLLOUT;
        }
        return m;
    }
}
