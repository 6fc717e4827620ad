package dev.kvmsim.kvm.irq;

/**
 * Models include/uapi/linux/kvm.h struct kvm_irq_routing_entry (and, once accepted, the kernel's
 * kvm_kernel_irq_routing_entry). A closed set: {@link IrqchipRoute}, {@link MsiRoute}, and
 * {@link RawRoute} for every other type number (S390 adapter, Hyper-V SINT, Xen event channel,
 * unknown) so that they reach the kernel's validation.
 *
 * <p>The u32 fields (gsi, irqchip, pin) are Java ints compared unsigned.
 */
public sealed interface RoutingEntry permits IrqchipRoute, MsiRoute, RawRoute {
    int KVM_IRQ_ROUTING_IRQCHIP = 1;
    int KVM_IRQ_ROUTING_MSI = 2;
    int KVM_IRQ_ROUTING_S390_ADAPTER = 3;
    int KVM_IRQ_ROUTING_HV_SINT = 4;
    int KVM_IRQ_ROUTING_XEN_EVTCHN = 5;
    int KVM_MSI_VALID_DEVID = 1;

    /** The kinds of entry, for exhaustive switches. */
    enum Kind { IRQCHIP, MSI, RAW }

    int gsi();

    /** The uapi type number. */
    int type();

    int flags();

    Kind kind();
}
