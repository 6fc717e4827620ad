package dev.kvmsim.kvm.irqchip;

/** The PIC as the BSP's LINT0 sees it (arch/x86/kvm/irq.c kvm_cpu_has_extint / kvm_cpu_get_extint). */
public interface ExtIntSource {
    /** The master 8259's INT output (kvm_pic output). */
    boolean output();

    /** The vector {@link #readIrq} would return now, without acknowledging anything. */
    int peekVector();

    /** Models kvm_pic_read_irq: the interrupt acknowledge cycle, returns the vector. */
    int readIrq();
}
