package dev.kvmsim.kvm.eventfd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EventfdSmokeTest {
    @Test
    void shouldReadWhatWasSignalled() {
        // fs/eventfd.c eventfd_signal_mask then eventfd_read
        EventfdTestSupport t = new EventfdTestSupport();
        EventfdCtx ctx = t.create(0, EventfdCtx.EFD_NONBLOCK);
        ctx.eventfdSignal(3);
        assertEquals(EventfdResult.value(3), ctx.read());
        assertEquals(0, ctx.count());
    }
}
