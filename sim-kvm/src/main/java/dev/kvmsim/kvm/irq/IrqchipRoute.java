package dev.kvmsim.kvm.irq;

/**
 * A KVM_IRQ_ROUTING_IRQCHIP route: GSI to pin {@code pin} of irqchip {@code irqchip}
 * (0 PIC master, 1 PIC slave, 2 IOAPIC). In the kernel form held by the routing table a slave
 * pin is stored as pin + 8 (kvm_set_routing_entry).
 */
public record IrqchipRoute(int gsi, int irqchip, int pin, int flags) implements RoutingEntry {
    public IrqchipRoute(int gsi, int irqchip, int pin) {
        this(gsi, irqchip, pin, 0);
    }

    @Override public int type() { return KVM_IRQ_ROUTING_IRQCHIP; }

    @Override public Kind kind() { return Kind.IRQCHIP; }

    @Override public String toString() {
        String chip = switch (irqchip) {
            case 0 -> "pic-master";
            case 1 -> "pic-slave";
            case 2 -> "ioapic";
            default -> "irqchip" + Integer.toUnsignedString(irqchip);
        };
        return "gsi " + Integer.toUnsignedString(gsi) + " -> " + chip + " pin " + Integer.toUnsignedString(pin);
    }
}
