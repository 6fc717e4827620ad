package dev.kvmsim.kvm.irq;

/**
 * The state in which the guest left its interrupt controllers (docs/scenarios.md vm.guest_state):
 * BOOTED (LAPIC SVR 0x1FF, TPR 0, both 8259s masked, IOAPIC entries masked, LINT0 ExtINT on
 * vCPU 0) or RESET (KVM's reset state: LAPIC software-disabled, 8259s unmasked with vector base
 * 0, ExtINT through LINT0 on vCPU 0).
 */
public enum GuestState { BOOTED, RESET }
