package dev.kvmsim.kvm.haltpoll;

/**
 * Models the guest's haltpoll cpuidle governor (drivers/cpuidle/governors/haltpoll.c) on one
 * guest CPU, with the cpuidle-haltpoll driver's two states: 0, poll (drivers/cpuidle/poll_state.c
 * poll_idle: the guest spins in guest mode up to {@code poll_limit_ns}, no exit) and 1, halt
 * (HLT, a VM exit). The driver also turns the host's halt polling off for the CPU
 * (arch/x86/kernel/kvm.c arch_haltpoll_enable writes 0 to MSR_KVM_POLL_CONTROL, so
 * arch/x86/kvm/x86.c kvm_arch_no_poll is true).
 *
 * <p>Caveats: single simulation thread; {@code cpuidle_governor_latency_req} is taken as not 0
 * (no PM QoS limit), so the governor never forces state 0 for latency.
 */
public final class GuestHaltPollGovernor {
    /** The poll state's index. */
    public static final int POLL = 0;
    /** The halt state's index. */
    public static final int HALT = 1;

    private final GuestHaltPollParams params;
    private final Listener listener;
    /** {@code dev->poll_limit_ns}: 0 at haltpoll_enable_device. */
    private long pollLimitNs;
    /** {@code dev->last_state_idx} (0 in a zeroed device; irrelevant while the limit is 0). */
    private int lastStateIdx = POLL;
    /** {@code dev->poll_time_limit}: the last poll ended because its limit ran out. */
    private boolean pollTimeLimit;

    private long polls;
    private long pollsTimedOut;
    private long halts;
    private long pollNs;

    /** The tracepoint guest_halt_poll_ns (include/trace/events/power.h). */
    public interface Listener {
        void guestHaltPollNs(boolean grow, long newNs, long oldNs);
    }

    public GuestHaltPollGovernor(GuestHaltPollParams params, Listener listener) {
        this.params = params;
        this.listener = listener;
    }

    /** {@code dev->poll_limit_ns}. */
    public long pollLimitNs() { return pollLimitNs; }

    /**
     * Models haltpoll_select: halt while the poll limit is 0; after a poll, halt if the poll ran
     * out (no event in the window), else poll again; after a halt, poll.
     */
    public int select() {
        if (pollLimitNs == 0) {
            return HALT;
        }
        if (lastStateIdx == POLL) {
            return pollTimeLimit ? HALT : POLL;
        }
        return POLL;
    }

    /** A poll of {@code ns} ended; {@code timedOut}: its limit ran out (poll_time_limit), else an event came. Models haltpoll_reflect(0). */
    public void polled(long ns, boolean timedOut) {
        polls++;
        pollNs += ns;
        if (timedOut) {
            pollsTimedOut++;
        }
        pollTimeLimit = timedOut;
        lastStateIdx = POLL;
    }

    /** A halt of {@code residencyNs} ended. Models haltpoll_reflect(1) and adjust_poll_limit. */
    public void halted(long residencyNs) {
        halts++;
        lastStateIdx = HALT;
        adjustPollLimit(residencyNs);
    }

    /** Models adjust_poll_limit: grow when limit &lt; block_ns &lt;= guest_halt_poll_ns; shrink above it (if allowed). */
    private void adjustPollLimit(long blockNs) {
        GuestHaltPollParams p = params;
        if (blockNs > pollLimitNs && blockNs <= p.guestHaltPollNs()) {
            long val = (pollLimitNs * p.grow()) & HaltPollParams.U32_MAX;
            if (val < p.growStart()) {
                val = p.growStart();
            }
            if (val > p.guestHaltPollNs()) {
                val = p.guestHaltPollNs();
            }
            listener.guestHaltPollNs(true, val, pollLimitNs);
            pollLimitNs = val;
        } else if (blockNs > p.guestHaltPollNs() && p.allowShrink()) {
            long val = pollLimitNs;
            if (p.shrink() == 0) {
                val = 0;
            } else {
                val /= p.shrink();
                if (val < p.growStart()) {
                    val = 0;
                }
            }
            listener.guestHaltPollNs(false, val, pollLimitNs);
            pollLimitNs = val;
        }
    }

    /** Polls entered (state 0). */
    public long polls() { return polls; }

    /** Polls whose limit ran out before an event came. */
    public long pollsTimedOut() { return pollsTimedOut; }

    /** Halts entered through the governor (state 1) and ended. */
    public long halts() { return halts; }

    /** Guest CPU time spent polling, in ns. */
    public long pollNs() { return pollNs; }
}
