package dev.kvmsim.kvm.irqfd;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.eventfd.CtxResult;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.eventfd.Poll;
import dev.kvmsim.kvm.eventfd.PollTable;
import dev.kvmsim.kvm.eventfd.WaitQueueHead;
import dev.kvmsim.kvm.irq.IrqSourceIds;
import dev.kvmsim.kvm.irq.IrqchipMode;
import dev.kvmsim.kvm.irq.KvmIrqchip;
import dev.kvmsim.kvm.irq.RoutingEntry;
import dev.kvmsim.kvm.trace.IrqfdEvent;
import dev.kvmsim.kvm.trace.IrqfdEvent.Action;
import dev.kvmsim.kvm.workqueue.Workqueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A VM's irqfds ({@code kvm->irqfds}: the items list and the resampler list) and the KVM_IRQFD
 * ioctl. Models virt/kvm/eventfd.c (6.17): kvm_irqfd, kvm_irqfd_assign, kvm_irqfd_register,
 * irqfd_update, irqfd_wakeup, irqfd_inject, the resampler, irqfd_deactivate, irqfd_shutdown,
 * kvm_irqfd_deassign, kvm_irqfd_release, kvm_irq_routing_update and
 * kvm_notify_irqfd_resampler.
 *
 * <p>Caveats: single simulation thread; locks and SRCU grace periods are implicit and take no
 * time. irqfd_wakeup runs inside the signalling task (eventfd_signal or write(2)); the MSI fast
 * path delivers there, in zero simulated time. The inject work costs {@code irqfd.inject}
 * before its kvm_set_irq calls. Deassign returns at once and reports the end of its
 * flush_workqueue through a callback.
 */
public final class Irqfds {
    private final Kernel env;
    private final FdTable fds;
    private final KvmIrqchip irqchip;
    private final Workqueue systemWq;
    private final Workqueue cleanupWq;
    private final SplittableRandom random;
    /** kvm->irqfds.items, in list_add_tail order. */
    private final List<Irqfd> items = new ArrayList<>();
    /** kvm->irqfds.resampler_list, newest first (list_add_rcu). */
    private final List<IrqfdResampler> resamplers = new ArrayList<>();

    /**
     * The irqfds of a VM whose descriptors are {@code fds} and interrupts {@code irqchip}; inject
     * work goes to {@code systemWq} (schedule_work), shutdowns to {@code cleanupWq}
     * (irqfd_cleanup_wq, an ordered workqueue).
     */
    public Irqfds(Kernel env, FdTable fds, KvmIrqchip irqchip, Workqueue systemWq, Workqueue cleanupWq) {
        this.env = env;
        this.fds = fds;
        this.irqchip = irqchip;
        this.systemWq = systemWq;
        this.cleanupWq = cleanupWq;
        this.random = env.sim().random("irqfd");
        irqchip.addRoutingListener(this::kvmIrqRoutingUpdate);
        irqchip.setResamplerNotifier(this::kvmNotifyIrqfdResampler);
    }

    /** With its own system workqueue and {@code kvm-irqfd-cleanup} workqueue. */
    public Irqfds(Kernel env, FdTable fds, KvmIrqchip irqchip) {
        this(env, fds, irqchip, Workqueue.system(env), Workqueue.ordered(env, "kvm-irqfd-cleanup"));
    }

    /** The active irqfds, in assignment order. */
    public List<Irqfd> items() { return Collections.unmodifiableList(items); }

    public Workqueue systemWq() { return systemWq; }

    public Workqueue cleanupWq() { return cleanupWq; }

    // ---- the ioctl ----

    /** Models virt/kvm/eventfd.c kvm_irqfd; a deassignment's flush completes unobserved. */
    public int kvmIrqfd(KvmIrqfd args) {
        return kvmIrqfd(args, () -> { });
    }

    /**
     * Models virt/kvm/eventfd.c kvm_irqfd: flag bits other than DEASSIGN and RESAMPLE -> -EINVAL;
     * DEASSIGN (checked first) -> {@link #deassign}; else {@link #assign}. {@code flushed} runs
     * when a deassignment's flush_workqueue completes (at once for an assignment or an error).
     */
    public int kvmIrqfd(KvmIrqfd args, Runnable flushed) {
        if ((args.flags() & ~(KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN | KvmIrqfd.KVM_IRQFD_FLAG_RESAMPLE)) != 0) {
            flushed.run();
            return Errno.EINVAL.neg();
        }
        if ((args.flags() & KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN) != 0) {
            return deassign(args.fd(), args.gsi(), flushed);
        }
        int r = assign(args.fd(), args.gsi(), args.flags(), args.resamplefd());
        flushed.run();
        return r;
    }

    /**
     * Models virt/kvm/eventfd.c kvm_irqfd_assign (6.17), checks in order: irqfd not allowed
     * (x86: RESAMPLE needs the full irqchip, else any in-kernel irqchip) -> -EINVAL; fd not open
     * -> -EBADF, not an eventfd -> -EINVAL; the same for resamplefd; the eventfd already has a
     * priority waiter (an irqfd in any VM) -> -EBUSY. On success the irqfd waits on the eventfd,
     * and an already-signalled eventfd gets one injection scheduled (its counter is kept).
     * Returns 0 or -errno.
     */
    public int assign(int fd, int gsi, int flags, int resamplefd) {
        boolean resample = (flags & KvmIrqfd.KVM_IRQFD_FLAG_RESAMPLE) != 0;
        if (!kvmArchIrqfdAllowed(resample)) {
            return Errno.EINVAL.neg();
        }
        CtxResult ev = fds.eventfdCtxFdget(fd);
        if (!ev.ok()) {
            return ev.ret();
        }
        Irqfd irqfd = new Irqfd(this, gsi, ev.ctx());
        if (resample) {
            CtxResult rs = fds.eventfdCtxFdget(resamplefd);
            if (!rs.ok()) {
                ev.ctx().ctxPut();
                return rs.ret();
            }
            irqfd.resamplefd = rs.ctx();
            attachResampler(irqfd);
        }
        int[] ret = new int[1];
        PollTable pt = new PollTable((file, wqh, p) -> ret[0] = kvmIrqfdRegister(irqfd, wqh));
        int events = irqfd.eventfd.poll(pt);
        if (ret[0] != 0) {
            // fail_poll / fail: undo in reverse order
            if (irqfd.resampler != null) {
                irqfdResamplerShutdown(irqfd);
            }
            if (irqfd.resamplefd != null) {
                irqfd.resamplefd.ctxPut();
            }
            irqfd.eventfd.ctxPut();
            return ret[0];
        }
        trace(irqfd, Action.ASSIGN, 0);
        if ((events & Poll.EPOLLIN) != 0) {
            trace(irqfd, Action.ASSIGN_PENDING, 0);
            systemWq.scheduleWork(irqfd.inject);
        }
        return 0;
    }

    /**
     * Models virt/kvm/eventfd.c kvm_irqfd_deassign: fd not open -> -EBADF, not an eventfd ->
     * -EINVAL; every irqfd with the same eventfd and GSI has its cached route cleared and is
     * deactivated; then flush_workqueue(irqfd_cleanup_wq) ({@code flushed} runs when it is
     * done). Returns 0 even when nothing matched.
     */
    public int deassign(int fd, int gsi, Runnable flushed) {
        CtxResult ev = fds.eventfdCtxFdget(fd);
        if (!ev.ok()) {
            flushed.run();
            return ev.ret();
        }
        for (Irqfd irqfd : new ArrayList<>(items)) {
            if (irqfd.eventfd == ev.ctx() && irqfd.gsi == gsi) {
                irqfd.irqEntry = null;
                irqfdDeactivate(irqfd);
            }
        }
        ev.ctx().ctxPut();
        cleanupWq.flushWorkqueue(flushed);
        return 0;
    }

    /** Models virt/kvm/eventfd.c kvm_irqfd_release (the VM fd closed): deactivate all, flush. */
    public void release(Runnable flushed) {
        for (Irqfd irqfd : new ArrayList<>(items)) {
            irqfdDeactivate(irqfd);
        }
        cleanupWq.flushWorkqueue(flushed);
    }

    // ---- assign internals ----

    /** Models arch/x86/kvm/irq.c kvm_arch_irqfd_allowed: resample ? irqchip_full : irqchip_in_kernel. */
    private boolean kvmArchIrqfdAllowed(boolean resample) {
        return resample ? irqchip.mode() == IrqchipMode.KERNEL : irqchip.inKernel();
    }

    /** The resampler of the irqfd's GSI, created with its ack notifier if none exists. */
    private void attachResampler(Irqfd irqfd) {
        IrqfdResampler resampler = null;
        for (IrqfdResampler r : resamplers) {
            if (r.gsi() == irqfd.gsi) {
                resampler = r;
                break;
            }
        }
        if (resampler == null) {
            resampler = new IrqfdResampler(this, irqfd.gsi);
            resamplers.add(0, resampler);
            irqchip.registerAckNotifier(resampler);
        }
        irqfd.resampler = resampler;
        resampler.list.add(0, irqfd);
    }

    /**
     * Models virt/kvm/eventfd.c kvm_irqfd_register (the poll table's queue procedure):
     * irqfd_update before the irqfd becomes visible, then irqfd_wakeup as a priority exclusive
     * waiter (-EBUSY if the eventfd already has one); on success the irqfd joins the list.
     */
    private int kvmIrqfdRegister(Irqfd irqfd, WaitQueueHead wqh) {
        irqfdUpdate(irqfd);
        int r = wqh.addWaitQueuePriorityExclusive(irqfd.wait);
        if (r != 0) {
            return r;
        }
        items.add(irqfd);
        irqfd.active = true;
        return 0;
    }

    /** Models virt/kvm/eventfd.c irqfd_update: cache the GSI's route if it has exactly one, else type 0. */
    private void irqfdUpdate(Irqfd irqfd) {
        RoutingEntry[] entries = irqchip.kvmIrqMapGsi(irqfd.gsi);
        irqfd.irqEntry = entries.length == 1 ? entries[0] : null;
    }

    /** Models virt/kvm/eventfd.c kvm_irq_routing_update: every active irqfd re-caches its route. */
    private void kvmIrqRoutingUpdate() {
        for (Irqfd irqfd : items) {
            irqfdUpdate(irqfd);
        }
    }

    // ---- the wakeup and injection ----

    /**
     * Models virt/kvm/eventfd.c irqfd_wakeup (inside the eventfd's wakeup, in_eventfd set).
     * EPOLLIN: consume the counter (eventfd_ctx_do_read), try kvm_arch_set_irq_inatomic on the
     * cached route; -EWOULDBLOCK (also for type 0) -> schedule_work(inject); return 1 so no
     * other waiter is woken. EPOLLHUP: deactivate if still active.
     */
    int irqfdWakeup(Irqfd irqfd, int key) {
        int ret = 0;
        if ((key & Poll.EPOLLIN) != 0) {
            long cnt = irqfd.eventfd.eventfdCtxDoRead();
            irqfd.wakeups++;
            RoutingEntry irq = irqfd.irqEntry;
            int r = irq == null ? Errno.EWOULDBLOCK.neg()
                : irqchip.kvmArchSetIrqInatomic(irq, IrqSourceIds.KVM_USERSPACE_IRQ_SOURCE_ID, 1, false);
            if (r == Errno.EWOULDBLOCK.neg()) {
                if (systemWq.scheduleWork(irqfd.inject)) {
                    irqfd.deferredInjections++;
                    trace(irqfd, Action.WAKEUP_DEFERRED, cnt);
                } else {
                    irqfd.collapsed++;
                    trace(irqfd, Action.WAKEUP_COLLAPSED, cnt);
                }
            } else if (r == Errno.EINVAL.neg()) {
                trace(irqfd, Action.WAKEUP_DROPPED, cnt);
            } else {
                irqfd.fastInjections++;
                trace(irqfd, Action.WAKEUP_FAST, cnt);
            }
            ret = 1;
        }
        if ((key & Poll.EPOLLHUP) != 0 && irqfd.active) {
            irqfdDeactivate(irqfd);
        }
        return ret;
    }

    /**
     * Models virt/kvm/eventfd.c irqfd_inject (the inject work, on a kworker): after
     * {@code irqfd.inject}, kvm_set_irq level 1 then 0 from source 0; with a resampler only
     * level 1 from source 1.
     */
    void irqfdInject(Irqfd irqfd, Runnable done) {
        irqfd.injectDone = done;
        irqfd.injectTask = env.current();
        env.sim().schedule(env.charge(Cost.IRQFD_INJECT, random), irqfd.injectNow);
    }

    /** The kvm_set_irq calls of irqfd_inject, as the kworker that runs it. */
    void irqfdInjectNow(Irqfd irqfd) {
        try (Kernel.Switch s = env.switchTo(irqfd.injectTask)) {
            setIrqs(irqfd);
        }
        Runnable done = irqfd.injectDone;
        irqfd.injectDone = null;
        done.run();
    }

    /** irqfd_inject's kvm_set_irq calls, run as the task that executes the work. */
    private void setIrqs(Irqfd irqfd) {
        if (irqfd.resampler == null) {
            int r = irqchip.kvmSetIrq(IrqSourceIds.KVM_USERSPACE_IRQ_SOURCE_ID, irqfd.gsi, 1, false);
            irqchip.kvmSetIrq(IrqSourceIds.KVM_USERSPACE_IRQ_SOURCE_ID, irqfd.gsi, 0, false);
            trace(irqfd, Action.INJECT, r);
        } else {
            int r = irqchip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, irqfd.gsi, 1, false);
            trace(irqfd, Action.INJECT_RESAMPLE, r);
        }
    }

    // ---- resampler ----

    /**
     * Models virt/kvm/eventfd.c irqfd_resampler_ack: de-assert once from source 1 (shared by the
     * GSI's resampling irqfds, so once, not per irqfd), then signal every resamplefd.
     */
    void resamplerAck(IrqfdResampler resampler) {
        if (env.sim().tracing() && !resampler.list.isEmpty()) {
            trace(resampler.list.get(0), Action.RESAMPLE_ACK, 0);
        }
        irqchip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, resampler.gsi(), 0, false);
        irqfdResamplerNotify(resampler);
    }

    /** Models virt/kvm/eventfd.c irqfd_resampler_notify: eventfd_signal on every resamplefd. */
    private void irqfdResamplerNotify(IrqfdResampler resampler) {
        for (Irqfd irqfd : resampler.list) {
            irqfd.resamplefd.eventfdSignal();
        }
    }

    /** Models virt/kvm/eventfd.c kvm_notify_irqfd_resampler for the GSI of an unmasked level pin. */
    private boolean kvmNotifyIrqfdResampler(int gsi) {
        for (IrqfdResampler r : resamplers) {
            if (r.gsi() == gsi) {
                irqfdResamplerNotify(r);
                return true;
            }
        }
        return false;
    }

    /**
     * Models virt/kvm/eventfd.c irqfd_resampler_shutdown: leave the resampler; the last one out
     * unregisters the ack notifier and de-asserts the line (source 1).
     */
    private void irqfdResamplerShutdown(Irqfd irqfd) {
        IrqfdResampler resampler = irqfd.resampler;
        resampler.list.remove(irqfd);
        if (resampler.list.isEmpty()) {
            resamplers.remove(resampler);
            irqchip.unregisterAckNotifier(resampler);
            irqchip.kvmSetIrq(IrqSourceIds.KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID, resampler.gsi(), 0, false);
        }
    }

    // ---- teardown ----

    /** Models virt/kvm/eventfd.c irqfd_deactivate: off the list, shutdown queued on the cleanup workqueue. */
    private void irqfdDeactivate(Irqfd irqfd) {
        items.remove(irqfd);
        irqfd.active = false;
        trace(irqfd, Action.DEACTIVATE, 0);
        cleanupWq.queueWork(irqfd.shutdown);
    }

    /**
     * Models virt/kvm/eventfd.c irqfd_shutdown (on the cleanup workqueue): unhook from the
     * eventfd with eventfd_ctx_remove_wait_queue (which consumes the counter), flush the inject
     * work, leave the resampler and drop the resamplefd, drop the eventfd.
     */
    void irqfdShutdown(Irqfd irqfd, Runnable done) {
        long cnt = irqfd.eventfd.eventfdCtxRemoveWaitQueue(irqfd.wait);
        trace(irqfd, Action.SHUTDOWN, cnt);
        systemWq.flushWork(irqfd.inject, () -> {
            if (irqfd.resampler != null) {
                irqfdResamplerShutdown(irqfd);
                irqfd.resamplefd.ctxPut();
            }
            irqfd.eventfd.ctxPut();
            done.run();
        });
    }

    private void trace(Irqfd irqfd, Action action, long value) {
        if (env.sim().tracing()) {
            env.sim().trace(new IrqfdEvent(env.sim().now(), env.current().comm(), env.current().cpu(), irqfd.gsi,
                irqfd.eventfd.name(), action, value));
        }
    }
}
