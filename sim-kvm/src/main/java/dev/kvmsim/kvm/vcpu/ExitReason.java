package dev.kvmsim.kvm.vcpu;

/** Models the VMX basic exit reasons the model takes (arch/x86/include/uapi/asm/vmx.h, Intel SDM). */
public enum ExitReason {
    EXTERNAL_INTERRUPT(1),
    INTERRUPT_WINDOW(7),
    HLT(12),
    IO_INSTRUCTION(30),
    MSR_WRITE(32),
    EOI_INDUCED(45),
    EPT_VIOLATION(48),
    EPT_MISCONFIG(49),
    APIC_WRITE(56);

    private final int code;

    ExitReason(int code) { this.code = code; }

    /** The VMX basic exit reason number. */
    public int code() { return code; }

    /** Looks a reason up by its VMX name ({@code "EPT_MISCONFIG"}); empty when unknown. */
    public static java.util.Optional<ExitReason> byName(String name) {
        for (ExitReason r : values()) {
            if (r.name().equals(name)) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
