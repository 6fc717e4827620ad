package dev.kvmsim.kvm.vcpu;

/** How the executions of one guest write action ended: absorbed in the kernel or exited to userspace. */
public record ActionCounts(long kernel, long userspace) {
    public long total() { return kernel + userspace; }
}
