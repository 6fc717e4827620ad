/**
 * KVM halt polling (virt/kvm/kvm_main.c, Linux 6.17): when a vCPU halts, {@code kvm_vcpu_halt}
 * busy-waits up to the vCPU's adaptive window ({@code vcpu->halt_poll_ns}) for a wake event
 * before it blocks, so a wakeup that comes soon after the halt avoids the block+unblock cost.
 * The window grows and shrinks after every halt ({@code grow_halt_poll_ns},
 * {@code shrink_halt_poll_ns}) within the module parameters ({@code halt_poll_ns} and friends)
 * or the VM's {@code KVM_CAP_HALT_POLL} override. {@link dev.kvmsim.kvm.haltpoll.HaltPoller}
 * keeps one vCPU's window and statistics; the vCPU calls it at the points where the kernel's
 * code runs. Documented in docs/kernel-model.md "Halt polling".
 */
package dev.kvmsim.kvm.haltpoll;
