package dev.kvmsim.scenarios.model;

/**
 * One entry of a {@code gsi_routing} step ({@code struct kvm_irq_routing_entry}); with
 * {@code count} N it stands for N entries on GSIs gsi..gsi+N-1.
 */
public sealed interface RouteEntry {

    long gsi();

    long count();

    long flags();

    Loc loc();

    /** KVM_IRQ_ROUTING_MSI. */
    record Msi(long gsi, long address, long addressHi, long data, long flags, long count, Loc loc) implements RouteEntry {
        public Msi withData(long newData) {
            return new Msi(gsi, address, addressHi, newData, flags, count, loc);
        }

        public Msi withAddress(long newAddress) {
            return new Msi(gsi, newAddress, addressHi, data, flags, count, loc);
        }
    }

    /** KVM_IRQ_ROUTING_IRQCHIP; {@code irqchip} is the raw chip number (0 PIC master, 1 PIC slave, 2 IOAPIC). */
    record Irqchip(long gsi, long irqchip, long pin, long flags, long count, Loc loc) implements RouteEntry {
        public static final long PIC_MASTER = 0;
        public static final long PIC_SLAVE = 1;
        public static final long IOAPIC = 2;

        public Irqchip withPin(long newPin) {
            return new Irqchip(gsi, irqchip, newPin, flags, count, loc);
        }
    }
}
