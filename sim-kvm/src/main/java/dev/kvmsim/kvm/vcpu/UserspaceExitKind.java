package dev.kvmsim.kvm.vcpu;

/** Models the KVM_RUN exit reasons to userspace the model produces (include/uapi/linux/kvm.h). */
public enum UserspaceExitKind {
    IO(2, "KVM_EXIT_IO", "io"),
    MMIO(6, "KVM_EXIT_MMIO", "mmio"),
    /** Split irqchip: the guest EOIed a vector the userspace IOAPIC must see (run->eoi.vector). */
    IOAPIC_EOI(26, "KVM_EXIT_IOAPIC_EOI", "ioapic_eoi");

    private final int code;
    private final String kernelName;
    private final String scenarioName;

    UserspaceExitKind(int code, String kernelName, String scenarioName) {
        this.code = code;
        this.kernelName = kernelName;
        this.scenarioName = scenarioName;
    }

    public int code() { return code; }

    public String kernelName() { return kernelName; }

    /** The name scenarios use ({@code mmio}, {@code io}). */
    public String scenarioName() { return scenarioName; }
}
