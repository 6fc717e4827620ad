/**
 * irqfd: an eventfd bound to a GSI. Signalling the eventfd runs irqfd_wakeup inside the
 * signal: it consumes the counter and injects at once when the GSI has a single MSI route the
 * APIC fast path can deliver, else through a work item on the system workqueue (pending work
 * collapses signals). A resampling irqfd keeps a level line asserted until the guest's EOI,
 * then signals its resamplefd. Models virt/kvm/eventfd.c (6.17) irqfd part.
 */
package dev.kvmsim.kvm.irqfd;
