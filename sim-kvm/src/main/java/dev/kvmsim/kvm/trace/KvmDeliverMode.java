package dev.kvmsim.kvm.trace;

/**
 * The kernel's {@code kvm_deliver_mode} symbol table (arch/x86/kvm/trace.h), used by the
 * IOAPIC, MSI and APIC tracepoints to print a delivery mode (bits 10:8 of a redirection entry
 * or MSI data word, or {@code delivery_mode >> 8}).
 */
public final class KvmDeliverMode {
    private static final String[] NAMES = {"Fixed", "LowPrio", "SMI", "Res3", "NMI", "INIT", "SIPI", "ExtINT"};

    private KvmDeliverMode() {
    }

    /** The name of a 3-bit delivery mode ({@code 0} Fixed ... {@code 7} ExtINT). */
    public static String name(int mode3) {
        return NAMES[mode3 & 7];
    }
}
