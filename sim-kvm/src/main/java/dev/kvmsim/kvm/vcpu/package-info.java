/**
 * The vCPU (arch/x86/kvm/x86.c, vmx/vmx.c): a state machine in simulated time that runs a guest
 * program, takes VMX exits (EPT_MISCONFIG, IO_INSTRUCTION, HLT, EXTERNAL_INTERRUPT, MSR_WRITE,
 * ...), dispatches guest writes to the in-kernel LAPIC and the io buses, exits to the userspace
 * VMM when no device takes them, and injects the highest-priority pending interrupt at VM entry.
 * It depends on the io buses below it; the LAPIC above it plugs in through {@link
 * dev.kvmsim.kvm.vcpu.LocalApicPort} and kicks it through {@link dev.kvmsim.kvm.vcpu.Vcpu#kick()}.
 */
package dev.kvmsim.kvm.vcpu;
