/**
 * GSI routing (virt/kvm/irqchip.c, arch/x86/kvm/irq.c): the routing table that KVM_SET_GSI_ROUTING
 * publishes, kvm_set_irq fanning a GSI out to its IRQCHIP and MSI routes, MSI decoding, line
 * state per irq source id, ack notifiers, and {@link dev.kvmsim.kvm.irq.KvmIrqchip}, which owns
 * the in-kernel irqchip of a VM (IOAPIC, PIC, local APICs) and its ioctls.
 */
package dev.kvmsim.kvm.irq;
