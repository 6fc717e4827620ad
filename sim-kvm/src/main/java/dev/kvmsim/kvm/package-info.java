/**
 * The KVM model: everything on the notification path, from a guest write through the io
 * buses, ioeventfds and eventfds, to irqfds, GSI routing, the interrupt controllers and
 * injection into a vCPU. Packages mirror the kernel's files (see docs/architecture.md).
 */
package dev.kvmsim.kvm;
