/**
 * Host threads that answer notifications: vhost kernel workers and the userspace VMM's
 * iothreads (drivers/vhost, QEMU). Each waits on an eventfd, services the request for a time
 * drawn from a distribution and signals its answer eventfd.
 */
package dev.kvmsim.kvm.host;
