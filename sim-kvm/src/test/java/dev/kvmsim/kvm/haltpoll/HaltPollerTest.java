package dev.kvmsim.kvm.haltpoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.kvm.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The halt-polling rules of virt/kvm/kvm_main.c (Linux 6.17) kvm_vcpu_halt, grow_halt_poll_ns,
 * shrink_halt_poll_ns, update_halt_poll_stats and kvm_vm_ioctl_enable_cap_generic
 * (KVM_CAP_HALT_POLL). Every expected value is worked out by hand from that source.
 */
class HaltPollerTest {
    /** The tracepoints in the kernel's TP_printk formats. */
    private final List<String> trace = new ArrayList<>();
    private final HaltPollControl control = new HaltPollControl(HaltPollParams.kernelDefaults());
    private final HaltPoller p = new HaltPoller(0, control);
    private long now;

    HaltPollerTest() {
        p.setListener(new HaltPollListener() {
            @Override
            public void haltPollNs(boolean grow, int vcpuId, long newNs, long oldNs) {
                trace.add("vcpu " + vcpuId + ": halt_poll_ns " + newNs + " (" + (grow ? "grow" : "shrink") + " " + oldNs + ")");
            }

            @Override
            public void vcpuWakeup(long ns, boolean waited, boolean valid) {
                trace.add((waited ? "wait" : "poll") + " time " + ns + " ns, polling " + (valid ? "valid" : "invalid"));
            }
        });
    }

    /** A halt at {@code now} woken {@code after} ns later; returns the window it polled for. */
    private long halt(long after) {
        long window = p.begin(now);
        if (window > 0 && after < window) {
            p.polledWakeup(now + after, true);
        } else {
            if (window > 0) {
                p.pollExpired(now + window);
            }
            p.wakeupSleeping();
            p.blockedWakeup(now + after, true);
        }
        now += after + 1_000;
        return window;
    }

    @Test
    void scriptedWakeups_windowGrowsFromGrowStartDoublesAndShrinksToZero() {
        // halt_poll_ns starts at 0: no poll; a 5 us halt < max 200 us grows 0*2 -> grow_start 10000
        assertEquals(0, halt(5_000));
        // polled within 10 us: halt_ns 3000 <= 10000, the window stays
        assertEquals(10_000, halt(3_000));
        // poll expires, woken at 15 us: 15000 > 10000, < max: grow 10000*2
        assertEquals(10_000, halt(15_000));
        // poll 20 us, woken at 300 us > max 200 us: shrink 20000/2 = 10000 (not below grow_start)
        assertEquals(20_000, halt(300_000));
        // poll 10 us, woken at 500 us: shrink 10000/2 = 5000 < grow_start -> 0
        assertEquals(10_000, halt(500_000));
        // window 0, a 1 ms halt (not < max): no change, no kvm_halt_poll_ns
        assertEquals(0, halt(1_000_000));
        // kvm_vcpu_halt adapts the window (kvm_halt_poll_ns) before it reports kvm_vcpu_wakeup
        assertEquals(List.of(
                "vcpu 0: halt_poll_ns 10000 (grow 0)",
                "wait time 5000 ns, polling valid",
                "poll time 3000 ns, polling valid",
                "vcpu 0: halt_poll_ns 20000 (grow 10000)",
                "wait time 15000 ns, polling valid",
                "vcpu 0: halt_poll_ns 10000 (shrink 20000)",
                "wait time 300000 ns, polling valid",
                "vcpu 0: halt_poll_ns 0 (shrink 10000)",
                "wait time 500000 ns, polling valid",
                "wait time 1000000 ns, polling valid"), trace);
        HaltPollStats s = p.stats();
        assertEquals(4, s.attemptedPoll()); // halts 2..5 polled
        assertEquals(1, s.successfulPoll());
        assertEquals(0, s.pollInvalid());
        assertEquals(5, s.wakeup()); // every blocked halt was woken by kvm_vcpu_wake_up
        assertEquals(3_000, s.pollSuccessNs());
        assertEquals(10_000 + 20_000 + 10_000, s.pollFailNs());
        // wait = halt_ns - poll: 5000 + (15000-10000) + (300000-20000) + (500000-10000) + 1000000
        assertEquals(5_000 + 5_000 + 280_000 + 490_000 + 1_000_000, s.waitNs());
        assertEquals(43_000, s.pollNs());
        assertEquals(6, s.halts());
    }

    @Test
    void shortHaltsGrowTheWindowUpToTheCeilingAndNoFurther() {
        // each halt blocks 150 us (< max): 0 -> 10000 -> 20000 -> ... -> 160000 -> 320000, clamped at the next halt
        long[] expected = {0, 10_000, 20_000, 40_000, 80_000, 160_000};
        for (long w : expected) {
            assertEquals(w, halt(w == 160_000 ? 170_000 : 150_000));
        }
        // 170000 > 160000 and < 200000: grow to 320000 (grow_halt_poll_ns has no ceiling)...
        assertEquals(320_000, p.haltPollNs());
        // ...kvm_vcpu_halt clamps it to max_halt_poll_ns at the next halt
        assertEquals(200_000, halt(100));
        assertEquals(200_000, p.haltPollNs());
    }

    @Test
    void invalidWakeup_shrinksEvenAShortHaltAndCountsAsInvalidPoll() {
        halt(5_000); // window 10000
        long w = p.begin(now);
        assertEquals(10_000, w);
        p.polledWakeup(now + 1_000, false);
        assertEquals(0, p.haltPollNs()); // 10000/2 < grow_start
        assertEquals(1, p.stats().pollInvalid());
        assertEquals(1, p.stats().successfulPoll());
        assertEquals("poll time 1000 ns, polling invalid", trace.get(trace.size() - 1));
        assertEquals("vcpu 0: halt_poll_ns 0 (shrink 10000)", trace.get(trace.size() - 2));
    }

    @Test
    void growZero_tracesTheUnchangedWindow() {
        control.setParams(new HaltPollParams(200_000, 0, 10_000, 2));
        halt(5_000);
        assertEquals(0, p.haltPollNs());
        assertTrue(trace.contains("vcpu 0: halt_poll_ns 0 (grow 0)"));
    }

    @Test
    void shrinkZero_resetsTheWindowToZero() {
        control.setParams(new HaltPollParams(200_000, 2, 10_000, 0));
        halt(5_000);
        halt(15_000); // grow to 20000
        assertEquals(20_000, p.haltPollNs());
        halt(300_000);
        assertEquals(0, p.haltPollNs());
    }

    @Test
    void growWrapsLikeAnUnsignedInt() {
        // max = U32_MAX through the cap; grow 65536: 10000 * 65536 = 655360000, * 65536 = 0x2710_0000_0000 -> low 32 bits 0 -> grow_start
        control.setParams(new HaltPollParams(200_000, 65_536, 10_000, 2));
        assertEquals(0, control.enableCap(0, HaltPollParams.U32_MAX));
        halt(5_000);
        assertEquals(10_000, p.haltPollNs());
        halt(15_000);
        assertEquals(655_360_000, p.haltPollNs());
        halt(655_360_001);
        assertEquals(10_000, p.haltPollNs());
    }

    @Test
    void capHaltPoll_overridesTheModuleParameterAndZeroTurnsPollingOff() {
        halt(5_000);
        halt(15_000);
        assertEquals(20_000, p.haltPollNs());
        assertEquals(0, control.enableCap(0, 15_000));
        assertTrue(control.overridden());
        assertEquals(15_000, halt(100)); // clamped to kvm->max_halt_poll_ns
        assertEquals(0, control.enableCap(0, 0));
        assertEquals(0, halt(100)); // clamped to 0: no poll...
        assertEquals(0, p.haltPollNs()); // ...and max 0 sets the window to 0
        control.setParams(new HaltPollParams(500_000, 2, 10_000, 2));
        assertEquals(0, control.maxHaltPollNs()); // the module parameter no longer counts
    }

    @Test
    void capHaltPoll_rejectsFlagsAndValuesWiderThanAnUnsignedInt() {
        assertEquals(Errno.EINVAL.neg(), control.enableCap(1, 1_000));
        assertEquals(Errno.EINVAL.neg(), control.enableCap(0, 1L << 32));
        assertEquals(Errno.EINVAL.neg(), control.enableCap(0, -1));
        assertFalse(control.overridden());
        assertEquals(200_000, control.maxHaltPollNs());
    }

    @Test
    void guestDisabledPolling_neverPollsNorAdaptsButStillTracesTheWakeup() {
        p.setGuestDisabledPolling(true);
        assertEquals(0, halt(5_000));
        assertEquals(0, p.haltPollNs());
        assertEquals(List.of("wait time 5000 ns, polling valid"), trace);
        assertEquals(0, p.stats().attemptedPoll());
    }

    @Test
    void moduleParameterZero_resetsTheWindowAfterTheHalt() {
        halt(5_000);
        assertEquals(10_000, p.haltPollNs());
        control.setParams(HaltPollParams.off());
        assertEquals(0, halt(5_000));
        assertEquals(0, p.haltPollNs());
    }

    @Test
    void pollingIsVisibleUntilItEnds() {
        halt(5_000);
        p.begin(now);
        assertTrue(p.polling());
        p.pollExpired(now + 10_000);
        assertFalse(p.polling());
        assertTrue(p.halted());
        assertThrows(IllegalStateException.class, () -> p.polledWakeup(now + 20_000, true));
        p.blockedWakeup(now + 20_000, true);
        assertFalse(p.halted());
    }

    @Test
    void params_areUnsignedInts() {
        assertThrows(IllegalArgumentException.class, () -> new HaltPollParams(-1, 2, 10_000, 2));
        assertThrows(IllegalArgumentException.class, () -> new HaltPollParams(1L << 32, 2, 10_000, 2));
        assertEquals(new HaltPollParams(200_000, 2, 10_000, 2), HaltPollParams.kernelDefaults());
    }
}
