package dev.kvmsim.kvm.vm;

/** How a {@link KvmVm} is built: the number of vCPUs the runner will create and whether APICv is on. */
public record VmOptions(int vcpus, boolean apicv) {
    /** KVM_MAX_VCPUS on x86 (arch/x86/include/asm/kvm_host.h). */
    public static final int KVM_MAX_VCPUS = 1024;

    public VmOptions {
        if (vcpus < 1 || vcpus > KVM_MAX_VCPUS) {
            throw new IllegalArgumentException("vcpus must be 1.." + KVM_MAX_VCPUS + ": " + vcpus);
        }
    }

    public static VmOptions defaults() {
        return new VmOptions(1, false);
    }
}
