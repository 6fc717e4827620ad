package dev.kvmsim.kvm.vcpu;

/**
 * The userspace VMM as the vCPU sees it: KVM_RUN returned with {@code run->exit_reason} =
 * KVM_EXIT_MMIO / KVM_EXIT_IO; the VMM handles the access and calls KVM_RUN again. Implemented
 * by {@code host.UserspaceVmm}.
 */
@FunctionalInterface
public interface UserspaceExitHandler {
    /**
     * Handles one write exit ({@code run->mmio} / {@code run->io}); returns the simulated time the
     * VMM spends before re-entering KVM_RUN, in ns.
     */
    long handleWrite(int vcpu, UserspaceExitKind kind, long addr, int len, long data);
}
