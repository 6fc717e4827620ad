package dev.kvmsim.kvm.irq;

/**
 * A routing entry of any other type number (S390 adapter 3, Hyper-V SINT 4, Xen event channel 5,
 * or an unknown number): not modelled on x86 without Hyper-V/Xen, so kvm_set_routing_entry
 * rejects it with -EINVAL; it exists so that such entries reach the validation in order.
 */
public record RawRoute(int gsi, int type, int flags) implements RoutingEntry {
    public RawRoute {
        if (type == KVM_IRQ_ROUTING_IRQCHIP || type == KVM_IRQ_ROUTING_MSI) {
            throw new IllegalArgumentException("routing type " + type + " has its own record: use IrqchipRoute or MsiRoute");
        }
    }

    @Override public Kind kind() { return Kind.RAW; }
}
