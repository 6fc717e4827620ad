/**
 * ioeventfd (virt/kvm/eventfd.c, second half): a guest write to a registered address (and,
 * optionally, with a registered value) signals an eventfd inside KVM instead of exiting to
 * userspace. Assign and deassign validate in the kernel's order and return its errnos; each
 * ioeventfd is a device on an io bus, and a len-0 MMIO ioeventfd has a twin on the fast MMIO bus.
 */
package dev.kvmsim.kvm.ioeventfd;
