/**
 * The x86 in-kernel interrupt controllers: the IOAPIC (arch/x86/kvm/ioapic.c), the 8259 PIC
 * pair (arch/x86/kvm/i8259.c) and the per-vCPU local APIC with delivery to APICs
 * (arch/x86/kvm/lapic.c, irq.c kvm_irq_delivery_to_apic). Pins keep one line-state bit per
 * irq source id; the IOAPIC and PIC call up to the routing layer only through
 * {@link dev.kvmsim.kvm.irqchip.IrqchipHost}.
 */
package dev.kvmsim.kvm.irqchip;
