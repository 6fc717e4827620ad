package dev.kvmsim.kvm.haltpoll;

/**
 * Models virt/kvm/kvm_main.c kvm_vcpu_halt for one vCPU: its adaptive poll window
 * ({@code vcpu->halt_poll_ns}), the poll/block bookkeeping and the statistics.
 *
 * <p>The vCPU drives it in simulated time, calling it where the kernel's code runs:
 * <ol>
 *   <li>{@link #begin} when kvm_vcpu_halt starts (the vCPU is not runnable): the window the
 *       vCPU polls for, 0 when it blocks at once;</li>
 *   <li>{@link #polledWakeup} when a wake event ends the poll (kvm_vcpu_check_block &lt; 0 in
 *       the loop); or {@link #pollExpired} when the loop ends without one (kvm_vcpu_can_poll
 *       false), then {@link #wakeupSleeping} when kvm_vcpu_wake_up finds the blocked vCPU and
 *       {@link #blockedWakeup} when the vCPU thread runs again.</li>
 * </ol>
 * The end of a halt records the statistics (update_halt_poll_stats), adapts the window
 * (grow_halt_poll_ns / shrink_halt_poll_ns) and reports kvm_vcpu_wakeup.
 *
 * <p>Caveats: single simulation thread; all values in ns; {@code vcpu->halt_poll_ns} is an
 * {@code unsigned int} and wraps like one when it grows ({@code val *= grow}). Whether a
 * wakeup is valid ({@code vcpu->valid_wakeup}) is the caller's: on x86 every wakeup is valid
 * (include/linux/kvm_host.h vcpu_valid_wakeup: CONFIG_HAVE_KVM_INVALID_WAKEUPS is s390-only).
 * Allocates nothing.
 */
public final class HaltPoller {
    private final int vcpuId;
    private final HaltPollControl control;
    private HaltPollListener listener = HaltPollListener.NONE;

    /** {@code vcpu->halt_poll_ns}; starts at 0 (the vCPU is zero-allocated). */
    private long haltPollNs;
    /** {@code kvm_arch_no_poll}: the guest turned host polling off (MSR_KVM_POLL_CONTROL bit 0 clear). */
    private boolean noPoll;

    // ---- the halt in progress ----
    private boolean halted;
    private boolean doHaltPoll;
    private boolean pollAllowed;
    private long start;
    private long pollEnd;
    private boolean pollEnded;

    // ---- statistics (kvm_vcpu_stat_generic) ----
    private long successfulPoll;
    private long attemptedPoll;
    private long pollInvalid;
    private long wakeup;
    private long pollSuccessNs;
    private long pollFailNs;
    private long waitNs;
    private long halts;

    public HaltPoller(int vcpuId, HaltPollControl control) {
        this.vcpuId = vcpuId;
        this.control = control;
    }

    public void setListener(HaltPollListener l) {
        this.listener = l == null ? HaltPollListener.NONE : l;
    }

    /** {@code vcpu->halt_poll_ns} now. */
    public long haltPollNs() { return haltPollNs; }

    /**
     * Models arch/x86/kvm/x86.c kvm_arch_no_poll: true when the guest cleared bit 0 of
     * MSR_KVM_POLL_CONTROL (a guest running the cpuidle-haltpoll driver polls itself and asks
     * the host not to).
     */
    public void setGuestDisabledPolling(boolean v) { this.noPoll = v; }

    public boolean guestDisabledPolling() { return noPoll; }

    /** A halt is in progress (between {@link #begin} and its end). */
    public boolean halted() { return halted; }

    /** The halt in progress is polling (begun with a window and not yet expired or woken). */
    public boolean polling() { return halted && doHaltPoll && !pollEnded; }

    /**
     * The start of kvm_vcpu_halt at {@code now}: clamps the window to the current ceiling
     * (kvm_vcpu_max_halt_poll_ns) and returns how long the vCPU polls before it blocks (0: it
     * blocks at once, because polling is not allowed or the window is 0).
     */
    public long begin(long now) {
        if (halted) {
            throw new IllegalStateException("vcpu" + vcpuId + " halts twice");
        }
        long max = control.maxHaltPollNs();
        pollAllowed = !noPoll;
        if (haltPollNs > max) {
            haltPollNs = max;
        }
        doHaltPoll = pollAllowed && haltPollNs != 0;
        start = now;
        pollEnd = now;
        pollEnded = !doHaltPoll;
        halted = true;
        halts++;
        return doHaltPoll ? haltPollNs : 0;
    }

    /**
     * The polling loop ended at {@code now} without a wake event (the window ran out, or
     * kvm_vcpu_can_poll said stop): {@code poll_end = now}, and the vCPU blocks in kvm_vcpu_block.
     */
    public void pollExpired(long now) {
        checkHalted();
        pollEnd = now;
        pollEnded = true;
    }

    /**
     * Models kvm_vcpu_wake_up finding the vCPU blocked (rcuwait_wake_up woke its thread):
     * {@code ++halt_wakeup}. A wake event during the poll does not count: there is no waiter yet.
     */
    public void wakeupSleeping() {
        wakeup++;
    }

    /** The polling loop saw a wake event (kvm_vcpu_check_block &lt; 0) at {@code now}: the halt ends, not waited. */
    public void polledWakeup(long now, boolean valid) {
        checkHalted();
        if (!doHaltPoll || pollEnded) {
            throw new IllegalStateException("vcpu" + vcpuId + " is not polling");
        }
        pollEnd = now;
        finish(now, false, valid);
    }

    /**
     * The vCPU thread runs again at {@code now} after it blocked: {@code halt_wait_ns += now -
     * poll_end} and the halt ends, waited. With {@code valid} false the window shrinks.
     */
    public void blockedWakeup(long now, boolean valid) {
        checkHalted();
        if (!pollEnded) {
            throw new IllegalStateException("vcpu" + vcpuId + " is still polling");
        }
        waitNs += now - pollEnd;
        finish(now, true, valid);
    }

    /** The end of kvm_vcpu_halt at {@code cur}: update_halt_poll_stats, the window's adaptation, kvm_vcpu_wakeup. */
    private void finish(long cur, boolean waited, boolean valid) {
        halted = false;
        long haltNs = cur - start;
        if (doHaltPoll) {
            updateHaltPollStats(pollEnd - start, !waited, valid);
        }
        if (pollAllowed) {
            long max = control.maxHaltPollNs();
            if (!valid) {
                shrink();
            } else if (max != 0) {
                if (haltNs <= haltPollNs) {
                    // the halt fitted in the window: keep it
                } else if (haltPollNs != 0 && haltNs > max) {
                    shrink(); // a long block
                } else if (haltPollNs < max && haltNs < max) {
                    grow(); // a short halt and a window too small
                }
            } else {
                haltPollNs = 0;
            }
        }
        listener.vcpuWakeup(haltNs, waited, valid);
    }

    /** Models update_halt_poll_stats. */
    private void updateHaltPollStats(long pollNs, boolean success, boolean valid) {
        attemptedPoll++;
        if (success) {
            successfulPoll++;
            if (!valid) {
                pollInvalid++;
            }
            pollSuccessNs += pollNs;
        } else {
            pollFailNs += pollNs;
        }
    }

    /** Models grow_halt_poll_ns: {@code val *= grow} (unsigned int), at least grow_start; grow 0 leaves it. */
    private void grow() {
        HaltPollParams p = control.params();
        long old = haltPollNs;
        long val = old;
        if (p.grow() != 0) {
            val = (val * p.grow()) & HaltPollParams.U32_MAX;
            if (val < p.growStart()) {
                val = p.growStart();
            }
            haltPollNs = val;
        }
        listener.haltPollNs(true, vcpuId, val, old);
    }

    /** Models shrink_halt_poll_ns: {@code val /= shrink} (0 when shrink is 0); below grow_start it is 0. */
    private void shrink() {
        HaltPollParams p = control.params();
        long old = haltPollNs;
        long val = p.shrink() == 0 ? 0 : old / p.shrink();
        if (val < p.growStart()) {
            val = 0;
        }
        haltPollNs = val;
        listener.haltPollNs(false, vcpuId, val, old);
    }

    private void checkHalted() {
        if (!halted) {
            throw new IllegalStateException("vcpu" + vcpuId + " is not halted");
        }
    }

    /** The statistics now. */
    public HaltPollStats stats() {
        return new HaltPollStats(successfulPoll, attemptedPoll, pollInvalid, wakeup, pollSuccessNs, pollFailNs, waitNs, halts);
    }
}
