package dev.kvmsim.kvm.haltpoll;

/**
 * The guest's haltpoll cpuidle governor parameters (drivers/cpuidle/governors/haltpoll.c module
 * parameters; unsigned ints except {@code allowShrink}).
 *
 * @param guestHaltPollNs  {@code guest_halt_poll_ns}: the ceiling of a CPU's poll limit (default 200000)
 * @param grow             {@code guest_halt_poll_grow}: the growth factor (default 2)
 * @param growStart        {@code guest_halt_poll_grow_start}: the first non-zero limit, in ns (default 50000)
 * @param shrink           {@code guest_halt_poll_shrink}: the divisor (default 2; 0 resets to 0)
 * @param allowShrink      {@code guest_halt_poll_allow_shrink} (default true)
 */
public record GuestHaltPollParams(long guestHaltPollNs, long grow, long growStart, long shrink, boolean allowShrink) {
    public GuestHaltPollParams {
        for (long v : new long[] {guestHaltPollNs, grow, growStart, shrink}) {
            if (v < 0 || v > HaltPollParams.U32_MAX) {
                throw new IllegalArgumentException("guest haltpoll parameters are unsigned ints: " + v);
            }
        }
    }

    /** The defaults of drivers/cpuidle/governors/haltpoll.c: 200000, 2, 50000, 2, shrink allowed. */
    public static GuestHaltPollParams kernelDefaults() {
        return new GuestHaltPollParams(200_000, 2, 50_000, 2, true);
    }
}
