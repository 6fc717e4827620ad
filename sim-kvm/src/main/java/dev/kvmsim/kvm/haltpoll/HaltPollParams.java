package dev.kvmsim.kvm.haltpoll;

/**
 * The kvm module parameters of halt polling (virt/kvm/kvm_main.c), each an {@code unsigned int}.
 *
 * @param haltPollNs       {@code halt_poll_ns}: the global ceiling of a vCPU's poll window
 *                         (x86 default KVM_HALT_POLL_NS_DEFAULT = 200000, arch/x86/include/asm/kvm_host.h)
 * @param grow             {@code halt_poll_ns_grow}: the factor grow_halt_poll_ns multiplies by (default 2; 0 never grows)
 * @param growStart        {@code halt_poll_ns_grow_start}: the first non-zero window (default 10000);
 *                         a shrink below it goes to 0
 * @param shrink           {@code halt_poll_ns_shrink}: the divisor of shrink_halt_poll_ns (default 2; 0 resets to 0)
 */
public record HaltPollParams(long haltPollNs, long grow, long growStart, long shrink) {
    /** KVM_HALT_POLL_NS_DEFAULT on x86 (arch/x86/include/asm/kvm_host.h). */
    public static final long KVM_HALT_POLL_NS_DEFAULT = 200_000;
    /** The largest {@code unsigned int}. */
    public static final long U32_MAX = 0xffff_ffffL;

    public HaltPollParams {
        checkU32("halt_poll_ns", haltPollNs);
        checkU32("halt_poll_ns_grow", grow);
        checkU32("halt_poll_ns_grow_start", growStart);
        checkU32("halt_poll_ns_shrink", shrink);
    }

    /** The kernel's defaults on x86: 200000, 2, 10000, 2 (virt/kvm/kvm_main.c module_param). */
    public static HaltPollParams kernelDefaults() {
        return new HaltPollParams(KVM_HALT_POLL_NS_DEFAULT, 2, 10_000, 2);
    }

    /** Halt polling off ({@code halt_poll_ns=0}), the other parameters at their defaults. */
    public static HaltPollParams off() {
        return new HaltPollParams(0, 2, 10_000, 2);
    }

    private static void checkU32(String name, long v) {
        if (v < 0 || v > U32_MAX) {
            throw new IllegalArgumentException(name + " must be an unsigned int (0.." + U32_MAX + "): " + v);
        }
    }
}
