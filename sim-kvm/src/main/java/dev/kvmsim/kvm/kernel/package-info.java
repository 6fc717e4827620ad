/**
 * The simulated kernel's shared context: one {@link dev.kvmsim.kvm.kernel.Kernel} per VM holds
 * the clock (the simulation), the cost model, the random streams and {@code current}, the
 * {@link dev.kvmsim.kvm.kernel.Task} the code now executing stands for. Every task has an
 * explicit {@link dev.kvmsim.kvm.kernel.TaskKind} and identity, so no component guesses what a
 * task is from its name. Models the parts of {@code include/linux/sched.h} ({@code struct
 * task_struct}, {@code current}) the notification path reads.
 */
package dev.kvmsim.kvm.kernel;
