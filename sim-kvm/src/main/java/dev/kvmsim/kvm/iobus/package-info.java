/**
 * The KVM io buses (virt/kvm/kvm_main.c): per bus an array of {@code kvm_io_range}s kept in the
 * order the kernel's insertion produces, searched with the kernel's own bsearch and asymmetric
 * comparator, and written by trying each device in range until one accepts. The array is
 * copy-on-update, so a dispatch in progress keeps the array it started with. Coalesced-MMIO
 * zones (virt/kvm/coalesced_mmio.c) are devices on these buses too.
 */
package dev.kvmsim.kvm.iobus;
