/**
 * Workqueues: work items with a pending bit (queueing a pending item does nothing, so
 * requests collapse into one run), run by kworkers that wake after a delay from the cost
 * model. Models kernel/workqueue.c: the system workqueue {@code events} and ordered
 * single-threaded workqueues such as {@code kvm-irqfd-cleanup}.
 */
package dev.kvmsim.kvm.workqueue;
