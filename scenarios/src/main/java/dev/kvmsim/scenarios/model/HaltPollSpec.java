package dev.kvmsim.scenarios.model;

import java.util.OptionalLong;

/**
 * The halt-polling knobs of the {@code vm:} section (docs/scenarios.md "Halt polling"): the kvm
 * module parameters of virt/kvm/kvm_main.c and the VM's KVM_CAP_HALT_POLL.
 *
 * @param haltPollNs      {@code vm.halt_poll_ns} (module parameter; x86 default 200000)
 * @param grow            {@code vm.halt_poll_ns_grow} (default 2)
 * @param growStart       {@code vm.halt_poll_ns_grow_start} (default 10000)
 * @param shrink          {@code vm.halt_poll_ns_shrink} (default 2)
 * @param maxHaltPollNs   {@code vm.max_halt_poll_ns}: KVM_ENABLE_CAP(KVM_CAP_HALT_POLL) with this value; empty: not enabled
 * @param guest           {@code vm.guest_haltpoll}: the guest idles through the haltpoll cpuidle governor; null: it halts at once
 */
public record HaltPollSpec(long haltPollNs, long grow, long growStart, long shrink, OptionalLong maxHaltPollNs, Guest guest) {
    /** The kernel's defaults (x86), no KVM_CAP_HALT_POLL. */
    public static HaltPollSpec defaults() {
        return new HaltPollSpec(200_000, 2, 10_000, 2, OptionalLong.empty(), null);
    }

    /**
     * The guest's haltpoll governor parameters (drivers/cpuidle/governors/haltpoll.c): {@code
     * guest_halt_poll_ns} (default 200000), {@code guest_halt_poll_grow} (2), {@code
     * guest_halt_poll_grow_start} (50000), {@code guest_halt_poll_shrink} (2), {@code
     * guest_halt_poll_allow_shrink} (true).
     */
    public record Guest(long guestHaltPollNs, long grow, long growStart, long shrink, boolean allowShrink) {
        public static Guest defaults() {
            return new Guest(200_000, 2, 50_000, 2, true);
        }
    }
}
