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
 * @param hostCpus        {@code vm.host_cpus}: the host's CPUs and the vCPU threads' CPU sets; null: every thread owns a CPU
 */
public record HaltPollSpec(long haltPollNs, long grow, long growStart, long shrink, OptionalLong maxHaltPollNs, Guest guest,
                           HostCpus hostCpus) {
    /** The kernel's defaults (x86), no KVM_CAP_HALT_POLL. */
    public static HaltPollSpec defaults() {
        return new HaltPollSpec(200_000, 2, 10_000, 2, OptionalLong.empty(), null, null);
    }

    /** Without a host CPU model. */
    public HaltPollSpec(long haltPollNs, long grow, long growStart, long shrink, OptionalLong maxHaltPollNs, Guest guest) {
        this(haltPollNs, grow, growStart, shrink, maxHaltPollNs, guest, null);
    }

    /**
     * {@code vm.host_cpus: {count: N, vcpus: [[0], [1, 2]]}}: N CPUs; vCPU i's thread may run on
     * {@code vcpus[i]} (a CPU mask; all CPUs when not given).
     */
    public record HostCpus(int count, java.util.List<Long> vcpuMasks) {
        public HostCpus {
            vcpuMasks = java.util.List.copyOf(vcpuMasks);
        }
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
