package dev.kvmsim.kvm.irqfd;

import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.WaitQueueEntry;
import dev.kvmsim.kvm.irq.RoutingEntry;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.workqueue.Work;

/**
 * Models include/linux/kvm_irqfd.h struct kvm_kernel_irqfd: the GSI, the eventfd (a context
 * reference), the wait entry hooked on it, the cached route ({@code irq_entry}; null stands
 * for type 0: none or several routes), the inject and shutdown work items, and for resampling
 * irqfds the resampler and the resamplefd (a context reference).
 */
public final class Irqfd {
    final int gsi;
    final EventfdCtx eventfd;
    final WaitQueueEntry wait;
    final Work inject;
    final Work shutdown;
    IrqfdResampler resampler;
    EventfdCtx resamplefd;
    /** irq_entry; null = type 0. */
    RoutingEntry irqEntry;
    /** On kvm->irqfds.items (irqfd_is_active). */
    boolean active;
    /** The inject work's completion and kworker while its kvm_set_irq calls are pending. */
    Runnable injectDone;
    Task injectTask;
    final Runnable injectNow;
    long wakeups;
    long fastInjections;
    long deferredInjections;
    long collapsed;

    Irqfd(Irqfds owner, int gsi, EventfdCtx eventfd) {
        this.gsi = gsi;
        this.eventfd = eventfd;
        this.wait = new WaitQueueEntry((e, mode, key) -> owner.irqfdWakeup(this, key), this, 0);
        this.inject = new Work("irqfd_inject gsi " + Integer.toUnsignedString(gsi), (w, done) -> owner.irqfdInject(this, done));
        this.injectNow = () -> owner.irqfdInjectNow(this);
        this.shutdown = new Work("irqfd_shutdown gsi " + Integer.toUnsignedString(gsi), (w, done) -> owner.irqfdShutdown(this, done));
    }

    public int gsi() { return gsi; }

    public EventfdCtx eventfd() { return eventfd; }

    /** The resamplefd, or null for a plain irqfd. */
    public EventfdCtx resamplefd() { return resamplefd; }

    /** The cached route, or null (type 0: no route or several). */
    public RoutingEntry irqEntry() { return irqEntry; }

    /** True while on the VM's list (not deassigned, its eventfd not released). */
    public boolean active() { return active; }

    /** irqfd_wakeup calls with EPOLLIN. */
    public long wakeups() { return wakeups; }

    /** Injections delivered at once by kvm_arch_set_irq_inatomic. */
    public long fastInjections() { return fastInjections; }

    /** Wakeups that queued the inject work. */
    public long deferredInjections() { return deferredInjections; }

    /** Wakeups whose schedule_work found the inject work already pending. */
    public long collapsed() { return collapsed; }

    @Override public String toString() {
        return "irqfd[gsi " + Integer.toUnsignedString(gsi) + ", " + eventfd.name() + (resamplefd != null ? ", resample " + resamplefd.name() : "") + "]";
    }
}
