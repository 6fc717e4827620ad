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
 * fs/eventfd.c counter rules as a property: for any sequence of write(2), eventfd_signal and
 * read(2) on a non-blocking eventfd, the counter equals the unsigned sum of what was added
 * minus what was read, and each call succeeds or fails exactly as the rules say.
 */
class EventfdCounterPropertyTest {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** kind 0: write(value); 1: eventfd_signal; 2: read. */
    record Op(int kind, long value) { }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Long> values = Arbitraries.oneOf(
            Arbitraries.longs().between(0, 10),
            Arbitraries.longs(),
            Arbitraries.of(-1L, -2L, -3L, Long.MAX_VALUE, Long.MIN_VALUE, 0xfffffffffffffff0L));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 2), values).as(Op::new);
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 500)
    void counterIsAddedMinusRead(@ForAll("ops") List<Op> ops, @ForAll boolean semaphore) {
        EventfdTestSupport t = new EventfdTestSupport();
        EventfdCtx ctx = t.create(0, EventfdCtx.EFD_NONBLOCK | (semaphore ? EventfdCtx.EFD_SEMAPHORE : 0));
        BigInteger model = BigInteger.ZERO;
        BigInteger added = BigInteger.ZERO;
        BigInteger read = BigInteger.ZERO;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    BigInteger v = new BigInteger(Long.toUnsignedString(op.value()));
                    EventfdResult r = ctx.write(op.value());
                    if (v.equals(MAX)) {
                        assertEquals(EventfdResult.error(Errno.EINVAL), r);
                    } else if (MAX.subtract(model).compareTo(v) > 0) {
                        assertEquals(EventfdResult.WRITTEN, r);
                        model = model.add(v);
                        added = added.add(v);
                    } else {
                        assertEquals(EventfdResult.error(Errno.EAGAIN), r);
                    }
                }
                case 1 -> {
                    ctx.eventfdSignal();
                    if (model.compareTo(MAX) < 0) {
                        model = model.add(BigInteger.ONE);
                        added = added.add(BigInteger.ONE);
                    }
                }
                default -> {
                    EventfdResult r = ctx.read();
                    if (model.signum() == 0) {
                        assertEquals(EventfdResult.error(Errno.EAGAIN), r);
                    } else {
                        BigInteger want = semaphore ? BigInteger.ONE : model;
                        assertEquals(EventfdResult.value(want.longValue()), r);
                        model = model.subtract(want);
                        read = read.add(want);
                    }
                }
            }
            assertEquals(model.longValue(), ctx.count());
            assertEquals(added.subtract(read), model);
        }
    }
}
