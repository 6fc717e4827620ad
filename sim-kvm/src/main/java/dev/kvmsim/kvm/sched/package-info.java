/**
 * Host CPUs and a deliberately simple scheduler (docs/kernel-model.md "Host CPUs"): a number of
 * physical CPUs, each task (vCPU thread, host thread) allowed on a CPU set, one run queue per
 * CPU, wakeup placement, and the {@code sched_waking} / {@code sched_switch} tracepoints of
 * include/trace/events/sched.h. What it leaves out of CFS/EEVDF is listed in
 * {@link dev.kvmsim.kvm.sched.HostCpus}.
 */
package dev.kvmsim.kvm.sched;
