package dev.kvmsim.kvm.haltpoll;

import dev.kvmsim.kvm.Errno;

/**
 * The halt-polling ceiling one VM's vCPUs read at every halt: the module parameters and the
 * VM's {@code KVM_CAP_HALT_POLL} override ({@code kvm->max_halt_poll_ns},
 * {@code kvm->override_halt_poll_ns}). The parameters may change during a run (they are
 * writable module parameters, read with READ_ONCE at each use).
 *
 * <p>Caveats: single simulation thread; one per VM.
 */
public final class HaltPollControl {
    private HaltPollParams params;
    private long maxHaltPollNs;
    private boolean overrideHaltPollNs;

    public HaltPollControl(HaltPollParams params) {
        this.params = params;
    }

    public HaltPollParams params() { return params; }

    /** Writes the module parameters ({@code /sys/module/kvm/parameters/halt_poll_ns*}). */
    public void setParams(HaltPollParams p) { this.params = p; }

    /**
     * Models virt/kvm/kvm_main.c kvm_vm_ioctl_enable_cap_generic, case KVM_CAP_HALT_POLL: flags
     * other than 0, or an {@code args[0]} that does not fit an unsigned int, is -EINVAL; else
     * {@code kvm->max_halt_poll_ns = args[0]} and the override is on for good. Returns 0 or -errno.
     */
    public int enableCap(long flags, long arg0) {
        if (flags != 0 || arg0 != (arg0 & HaltPollParams.U32_MAX)) {
            return Errno.EINVAL.neg();
        }
        maxHaltPollNs = arg0;
        overrideHaltPollNs = true;
        return 0;
    }

    /** {@code kvm->override_halt_poll_ns}. */
    public boolean overridden() { return overrideHaltPollNs; }

    /**
     * Models virt/kvm/kvm_main.c kvm_vcpu_max_halt_poll_ns: the VM's {@code max_halt_poll_ns}
     * once KVM_CAP_HALT_POLL was enabled, else the module's {@code halt_poll_ns}.
     */
    public long maxHaltPollNs() {
        return overrideHaltPollNs ? maxHaltPollNs : params.haltPollNs();
    }
}
