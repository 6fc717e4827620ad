/**
 * eventfd and wait queues. An {@link dev.kvmsim.kvm.eventfd.EventfdCtx} is a u64 counter with a
 * wait queue: writes and the in-kernel signal add to it and wake the queue's entries (whose
 * wake functions are how irqfd, poll and blocked readers hook in); reads consume it. Blocking
 * is simulated: a task that would sleep becomes a wait-queue entry that resumes in simulated
 * time. Models {@code fs/eventfd.c}, {@code kernel/sched/wait.c} and the parts of
 * {@code fs/select.c} that poll an eventfd.
 */
package dev.kvmsim.kvm.eventfd;
