package dev.kvmsim.kvm.irq;

/** Which irqchip a VM has: none, the full in-kernel one (KVM_CREATE_IRQCHIP), or split (KVM_CAP_SPLIT_IRQCHIP). */
public enum IrqchipMode { NONE, KERNEL, SPLIT }
