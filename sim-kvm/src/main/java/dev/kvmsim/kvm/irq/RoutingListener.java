package dev.kvmsim.kvm.irq;

/** Called after a new routing table is published (kvm_irq_routing_update: irqfds re-cache their route). */
public interface RoutingListener {
    void routingUpdated();
}
