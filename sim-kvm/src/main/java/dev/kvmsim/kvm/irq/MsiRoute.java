package dev.kvmsim.kvm.irq;

/** A KVM_IRQ_ROUTING_MSI route: the MSI message (address, data) a GSI sends. */
public record MsiRoute(int gsi, int addressLo, int addressHi, int data, int flags, int devid) implements RoutingEntry {
    public MsiRoute(int gsi, int addressLo, int addressHi, int data) {
        this(gsi, addressLo, addressHi, data, 0, 0);
    }

    @Override public int type() { return KVM_IRQ_ROUTING_MSI; }

    @Override public Kind kind() { return Kind.MSI; }

    @Override public String toString() {
        return "gsi " + Integer.toUnsignedString(gsi) + " -> msi addr 0x" + Integer.toHexString(addressHi) + "_"
                + String.format("%08x", addressLo) + " data 0x" + Integer.toHexString(data);
    }
}
