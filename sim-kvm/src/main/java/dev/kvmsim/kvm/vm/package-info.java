/**
 * {@code KvmVm}: the ioctl-shaped facade (virt/kvm/kvm_main.c kvm_vm_ioctl and the vCPU ioctls).
 * It validates like the kernel and returns the kernel's results and errnos; past it, internals
 * trust their inputs.
 */
package dev.kvmsim.kvm.vm;
