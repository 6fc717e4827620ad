/**
 * KVM trace events, one record per file: real tracepoints (kvm_exit, kvm_entry, kvm_mmio, ...)
 * render the kernel's TP_printk format exactly; model-only steps render a readable explanation.
 */
package dev.kvmsim.kvm.trace;
