package dev.kvmsim.kvm.vcpu;

/** Where a vCPU is in simulated time. */
public enum VcpuState {
    /** Executing guest code (VMX non-root). */
    GUEST_RUNNING,
    /** In KVM after a VM exit, handling it. */
    IN_EXIT,
    /** KVM_RUN returned to the VMM (KVM_EXIT_MMIO / KVM_EXIT_IO); not yet re-entered. */
    IN_USERSPACE,
    /** Halted after a HLT exit, waiting for an event (kvm_vcpu_halt). */
    HALTED,
    /** Program ended: halted with IF=1, taking every interrupt. */
    IDLE
}
