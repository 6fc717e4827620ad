package dev.kvmsim.kvm.irqfd;

import static dev.kvmsim.kvm.irqfd.IrqfdTestSupport.edge;
import static dev.kvmsim.kvm.irqfd.IrqfdTestSupport.level;
import static dev.kvmsim.kvm.irqfd.IrqfdTestSupport.msiAddr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.Poll;
import dev.kvmsim.kvm.eventfd.PollTask;
import dev.kvmsim.kvm.irq.IrqchipRoute;
import dev.kvmsim.kvm.irq.KvmIrqchip;
import dev.kvmsim.kvm.irq.MsiRoute;
import dev.kvmsim.kvm.irq.RoutingEntry;
import dev.kvmsim.kvm.kernel.TaskKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** virt/kvm/eventfd.c irqfd (6.17), docs/kernel-model.md#irqfd: one test per rule. */
class IrqfdsTest {
    private final IrqfdTestSupport t = new IrqfdTestSupport();

    private long mean(Cost c) {
        return (long) t.env.costs().distribution(c).mean();
    }

    /** kworker wake-up + per-item cost + the inject cost: when a deferred injection lands. */
    private long deferredDelay() {
        return mean(Cost.WQ_KWORKER_WAKEUP) + mean(Cost.WQ_WORK_ITEM) + mean(Cost.IRQFD_INJECT);
    }

    /** Routes for GSI 5: one MSI to APIC 0 with {@code vector}, plus the default routes of GSI 0-4. */
    private void msiRoute(int gsi, int vector) {
        List<RoutingEntry> routes = new ArrayList<>(KvmIrqchip.defaultRouting());
        routes.removeIf(e -> e.gsi() == gsi);
        routes.add(new MsiRoute(gsi, msiAddr(0), 0, vector));
        assertEquals(0, t.chip.setGsiRouting(routes, 0));
    }

    // ---- kvm_irqfd / kvm_irqfd_assign checks, in order ----

    @Test
    void assign_withoutAnIrqchipIsEinval() {
        IrqfdTestSupport none = new IrqfdTestSupport("none");
        int fd = none.eventfd("e", 0, 0);
        assertEquals(Errno.EINVAL.neg(), none.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
        assertEquals(1, none.ctx(fd).ctxRefs());
    }

    @Test
    void assign_resampleNeedsTheFullIrqchip() {
        // arch/x86/kvm/irq.c kvm_arch_irqfd_allowed: resample ? irqchip_full : irqchip_in_kernel
        IrqfdTestSupport split = new IrqfdTestSupport("split");
        int fd = split.eventfd("e", 0, 0);
        int rfd = split.eventfd("r", 0, 0);
        assertEquals(Errno.EINVAL.neg(), split.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 5, rfd)));
        assertEquals(0, split.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
    }

    @Test
    void kvmIrqfd_unknownFlagBitsAreEinval() {
        int fd = t.eventfd("e", 0, 0);
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(new KvmIrqfd(fd, 5, 0x4, 0)));
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(new KvmIrqfd(fd, 5, KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN | 0x8, 0)));
    }

    @Test
    void kvmIrqfd_returnsAtOnceOnEveryEarlyError() {
        // virt/kvm/eventfd.c kvm_irqfd: the flags check returns before kvm_irqfd_deassign's
        // flush_workqueue, so the caller is never left waiting for a flush that is not made.
        int fd = t.eventfd("e", 0, 0);
        int[] returned = {0};
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(new KvmIrqfd(fd, 5, KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN | 0x8, 0), () -> returned[0]++));
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(new KvmIrqfd(fd, 5, 0x4, 0), () -> returned[0]++));
        assertEquals(Errno.EBADF.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.deassign(9999, 5), () -> returned[0]++));
        assertEquals(3, returned[0]);
    }

    @Test
    void kvmIrqfd_deassignIsCheckedBeforeResample() {
        IrqfdTestSupport split = new IrqfdTestSupport("split");
        int fd = split.eventfd("e", 0, 0);
        int both = KvmIrqfd.KVM_IRQFD_FLAG_DEASSIGN | KvmIrqfd.KVM_IRQFD_FLAG_RESAMPLE;
        assertEquals(0, split.irqfds.kvmIrqfd(new KvmIrqfd(fd, 5, both, split.fds.unusedFd())));
    }

    @Test
    void assign_badFdIsEbadfAndNotAnEventfdIsEinval() {
        assertEquals(Errno.EBADF.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.assign(t.fds.unusedFd(), 5)));
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.assign(t.fds.openNonEventfd(), 5)));
    }

    @Test
    void assign_badResamplefdIsEbadfOrEinvalAndDropsTheEventfd() {
        int fd = t.eventfd("e", 0, 0);
        assertEquals(Errno.EBADF.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 10, t.fds.unusedFd())));
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 10, t.fds.openNonEventfd())));
        assertEquals(1, t.ctx(fd).ctxRefs());
        assertFalse(t.ctx(fd).wqh().waitqueueActive());
    }

    @Test
    void assign_hooksAPriorityExclusiveWaiterAndTakesAContextReference() {
        int fd = t.eventfd("e", 0, 0);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
        EventfdCtx ctx = t.ctx(fd);
        assertEquals(2, ctx.ctxRefs());
        assertEquals(0x11, ctx.wqh().first().flags()); // WQ_FLAG_EXCLUSIVE | WQ_FLAG_PRIORITY
        assertEquals(1, t.irqfds.items().size());
    }

    @Test
    void assign_ofAnEventfdAlreadyBoundToAnIrqfdIsEbusy() {
        // 6.17: add_wait_queue_priority_exclusive fails; a second GSI in the same VM
        int fd = t.eventfd("e", 0, 0);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
        assertEquals(Errno.EBUSY.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 6)));
        assertEquals(Errno.EBUSY.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
        assertEquals(2, t.ctx(fd).ctxRefs());
        assertEquals(1, t.irqfds.items().size());
    }

    @Test
    void assign_ofAnEventfdBoundInAnotherVmIsEbusy() {
        int fd = t.eventfd("e", 0, 0);
        KvmIrqchip chip2 = new KvmIrqchip(t.env);
        chip2.createIrqchip(0);
        Irqfds vm2 = new Irqfds(t.env, t.fds, chip2);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
        assertEquals(Errno.EBUSY.neg(), vm2.kvmIrqfd(KvmIrqfd.assign(fd, 5)));
    }

    @Test
    void assign_thatFailsWithEbusyUndoesItsResampler() {
        int fd = t.eventfd("e", 0, 0);
        int rfd = t.eventfd("r", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        assertEquals(Errno.EBUSY.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 10, rfd)));
        assertEquals(1, t.ctx(rfd).ctxRefs());
        assertFalse(t.chip.irqHasNotifier(2, 10));
    }

    // ---- irqfd_wakeup ----

    @Test
    void wakeup_singleMsiRouteIsDeliveredAtOnceWithoutKvmSetIrq() {
        msiRoute(5, 0x40);
        int fd = t.eventfd("call0", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.ctx(fd).eventfdSignal();
        assertTrue(t.apic().irrTest(0x40));
        assertEquals(0, t.ctx(fd).count());
        assertEquals(0, t.count("kvm_set_irq"));
        assertEquals(1, t.count("kvm_msi_set_irq"));
        Irqfd irqfd = t.irqfds.items().get(0);
        assertEquals(1, irqfd.fastInjections());
        assertEquals(0, t.irqfds.systemWq().queued());
    }

    @Test
    void wakeup_gsiWithTwoRoutesGoesThroughTheWorkqueue() {
        // default routing: GSI 4 -> IOAPIC pin 4 and PIC master pin 4; irq_entry.type = 0
        t.chip.ioapic().programEntry(4, edge(0x34));
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 4));
        assertNull(t.irqfds.items().get(0).irqEntry());
        t.sim.schedule(1_000, () -> t.ctx(fd).eventfdSignal());
        t.sim.runUntil(1_000);
        assertEquals(0, t.ctx(fd).count()); // consumed inside the wakeup
        assertFalse(t.apic().irrTest(0x34));
        t.sim.runUntil(1_000 + deferredDelay());
        assertTrue(t.apic().irrTest(0x34));
        List<String> tp = t.tracepoints();
        assertEquals("kvm_set_irq: gsi 4 level 1 source 0", tp.get(0));
        assertTrue(tp.contains("kvm_set_irq: gsi 4 level 0 source 0"));
    }

    @Test
    void wakeup_whileTheInjectWorkIsPendingCollapsesIntoOneInjection() {
        t.chip.ioapic().programEntry(4, edge(0x34));
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 4));
        EventfdCtx ctx = t.ctx(fd);
        ctx.eventfdSignal();
        ctx.eventfdSignal();
        ctx.eventfdSignal();
        t.sim.run();
        Irqfd irqfd = t.irqfds.items().get(0);
        assertEquals(3, irqfd.wakeups());
        assertEquals(1, irqfd.deferredInjections());
        assertEquals(2, irqfd.collapsed());
        assertEquals(1, t.tracepoints().stream().filter(s -> s.equals("kvm_set_irq: gsi 4 level 1 source 0")).count());
    }

    @Test
    void wakeup_followsARoutingChangeOfAnAssignedIrqfd() {
        // kvm_irq_routing_update -> irqfd_update re-caches the route
        msiRoute(5, 0x40);
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        msiRoute(5, 0x41);
        assertEquals(0x41, ((MsiRoute) t.irqfds.items().get(0).irqEntry()).data());
        t.ctx(fd).eventfdSignal();
        assertTrue(t.apic().irrTest(0x41));
        assertFalse(t.apic().irrTest(0x40));
        // now two routes (IOAPIC + PIC for GSI 5): the cache becomes type 0, the workqueue takes over
        assertEquals(0, t.chip.setGsiRouting(KvmIrqchip.defaultRouting(), 0));
        assertNull(t.irqfds.items().get(0).irqEntry());
        t.ctx(fd).eventfdSignal();
        assertEquals(1, t.irqfds.items().get(0).deferredInjections());
    }

    @Test
    void wakeup_singleIrqchipRouteIsCachedButStillDeferred() {
        List<RoutingEntry> routes = List.of(new IrqchipRoute(20, 2, 20));
        assertEquals(0, t.chip.setGsiRouting(routes, 0));
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 20));
        assertEquals(routes.get(0), t.irqfds.items().get(0).irqEntry());
        t.ctx(fd).eventfdSignal();
        assertEquals(1, t.irqfds.items().get(0).deferredInjections());
    }

    @Test
    void wakeup_ofAGsiWithNoRouteInjectsNothingWithoutError() {
        int fd = t.eventfd("e", 0, 0);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 100)));
        t.ctx(fd).eventfdSignal();
        t.sim.run();
        assertEquals(0, t.ctx(fd).count());
        assertEquals(List.of("kvm_set_irq: gsi 100 level 1 source 0", "kvm_set_irq: gsi 100 level 0 source 0"), t.tracepoints());
        assertEquals(-1, t.apic().highestIrr());
    }

    @Test
    void wakeup_consumesTheWholeCounterOfAPlainEventfd() {
        msiRoute(5, 0x40);
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.fds.write(fd, 3, r -> { });
        assertEquals(0, t.ctx(fd).count());
    }

    @Test
    void wakeup_consumesOneFromASemaphoreEventfd() {
        msiRoute(5, 0x40);
        int fd = t.eventfd("e", 0, EventfdCtx.EFD_SEMAPHORE);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.fds.write(fd, 3, r -> { });
        assertEquals(2, t.ctx(fd).count());
    }

    @Test
    void wakeup_fromAWriteOfZeroStillInjects() {
        msiRoute(5, 0x40);
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.fds.write(fd, 0, r -> { });
        assertTrue(t.apic().irrTest(0x40));
        assertEquals(1, t.irqfds.items().get(0).wakeups());
    }

    @Test
    void wakeup_returnsOneSoOtherPollersAreNotWoken() {
        msiRoute(5, 0x40);
        int fd = t.eventfd("e", 0, 0);
        PollTask poller = new PollTask(t.env, t.env.newTask(TaskKind.IOTHREAD, "qemu", 0), Cost.IOTHREAD_WAKEUP);
        int[] ready = {0};
        poller.poll(t.ctx(fd), Poll.EPOLLIN, m -> ready[0]++);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.ctx(fd).eventfdSignal();
        t.sim.run();
        assertEquals(0, ready[0]);
        assertEquals(0, poller.wakeups());
    }

    @Test
    void assign_ofAnAlreadySignalledEventfdSchedulesOneInjectionWithoutConsuming() {
        t.chip.ioapic().programEntry(4, edge(0x34));
        int fd = t.eventfd("e", 2, 0);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 4)));
        assertEquals(1, t.irqfds.systemWq().queued());
        t.sim.run();
        assertTrue(t.apic().irrTest(0x34));
        assertEquals(2, t.ctx(fd).count());
    }

    // ---- resample ----

    @Test
    void resample_levelPinGivesOneInterruptUntilEoiThenSignalsTheResamplefd() {
        t.chip.ioapic().programEntry(10, level(0x50));
        int fd = t.eventfd("e", 0, 0);
        int rfd = t.eventfd("r", 0, 0);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 10, rfd)));
        t.ctx(fd).eventfdSignal();
        t.sim.run();
        assertTrue(t.apic().irrTest(0x50));
        assertTrue(t.chip.ioapic().remoteIrr(10));
        assertTrue(t.chip.ioapic().lineLevel(10)); // source 1 keeps it asserted
        assertTrue(t.tracepoints().contains("kvm_set_irq: gsi 10 level 1 source 1"));
        assertFalse(t.tracepoints().contains("kvm_set_irq: gsi 10 level 0 source 1"));
        t.apic().acknowledge(0x50);
        t.ctx(fd).eventfdSignal(); // a second signal before EOI: remote IRR, no new interrupt
        t.sim.run();
        assertFalse(t.apic().irrTest(0x50));
        assertEquals(0, t.ctx(rfd).count());
        t.apic().eoi();
        assertEquals(1, t.ctx(rfd).count());
        assertFalse(t.chip.ioapic().lineLevel(10));
        assertFalse(t.chip.ioapic().remoteIrr(10));
    }

    @Test
    void resample_twoSharersOfAGsiAreSignalledOnceEachAndDeassertedOnce() {
        t.chip.ioapic().programEntry(10, level(0x50));
        int a = t.eventfd("a", 0, 0);
        int ra = t.eventfd("ra", 0, 0);
        int b = t.eventfd("b", 0, 0);
        int rb = t.eventfd("rb", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.resample(a, 10, ra));
        t.irqfds.kvmIrqfd(KvmIrqfd.resample(b, 10, rb));
        t.ctx(a).eventfdSignal();
        t.ctx(b).eventfdSignal();
        t.sim.run();
        t.apic().acknowledge(0x50);
        t.events.clear();
        t.apic().eoi();
        assertEquals(1, t.ctx(ra).count());
        assertEquals(1, t.ctx(rb).count());
        assertEquals(1, t.tracepoints().stream().filter(s -> s.equals("kvm_set_irq: gsi 10 level 0 source 1")).count());
    }

    @Test
    void resample_unmaskingAPendingLevelPinSignalsTheResamplefdInsteadOfInjecting() {
        // ioapic_write_indirect -> kvm_notify_irqfd_resampler
        t.chip.ioapic().programEntry(10, level(0x50) | 1L << 16);
        int fd = t.eventfd("e", 0, 0);
        int rfd = t.eventfd("r", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 10, rfd));
        t.ctx(fd).eventfdSignal();
        t.sim.run();
        t.chip.ioapic().programEntry(10, level(0x50));
        assertEquals(1, t.ctx(rfd).count());
        assertFalse(t.apic().irrTest(0x50));
    }

    @Test
    void resamplerShutdown_ofTheLastIrqfdDeassertsTheLine() {
        t.chip.ioapic().programEntry(10, level(0x50));
        int fd = t.eventfd("e", 0, 0);
        int rfd = t.eventfd("r", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.resample(fd, 10, rfd));
        t.ctx(fd).eventfdSignal();
        t.sim.run();
        assertTrue(t.chip.ioapic().lineLevel(10));
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 10)));
        t.sim.run();
        assertFalse(t.chip.ioapic().lineLevel(10));
        assertFalse(t.chip.irqHasNotifier(2, 10));
        assertEquals(1, t.ctx(rfd).ctxRefs());
    }

    // ---- deassign, shutdown, release ----

    @Test
    void deassign_ofNothingAssignedReturnsZero() {
        int fd = t.eventfd("e", 0, 0);
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 5)));
        assertEquals(Errno.EBADF.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.deassign(t.fds.unusedFd(), 5)));
        assertEquals(Errno.EINVAL.neg(), t.irqfds.kvmIrqfd(KvmIrqfd.deassign(t.fds.openNonEventfd(), 5)));
    }

    @Test
    void deassign_needsTheSameEventfdAndGsi() {
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 6)));
        assertEquals(1, t.irqfds.items().size());
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 5)));
        assertEquals(0, t.irqfds.items().size());
    }

    @Test
    void deassign_unhooksTheIrqfdWhenTheCleanupFlushCompletes() {
        msiRoute(5, 0x40);
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        long[] flushedAt = {-1};
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 5), () -> flushedAt[0] = t.sim.now()));
        t.sim.run();
        assertTrue(flushedAt[0] > 0);
        EventfdCtx ctx = t.ctx(fd);
        assertFalse(ctx.wqh().waitqueueActive());
        assertEquals(1, ctx.ctxRefs());
        ctx.eventfdSignal();
        assertFalse(t.apic().irrTest(0x40));
        assertEquals(1, ctx.count());
    }

    @Test
    void shutdown_consumesTheCounterThroughRemoveWaitQueue() {
        // eventfd_ctx_remove_wait_queue in irqfd_shutdown reads the counter like a read
        int fd = t.eventfd("e", 5, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 100));
        t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 100));
        t.sim.run();
        assertEquals(0, t.ctx(fd).count());
    }

    @Test
    void close_ofTheEventfdDeactivatesTheIrqfdWithEpollhup() {
        int fd = t.eventfd("e", 0, 0);
        EventfdCtx ctx = t.ctx(fd);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.fds.close(fd);
        assertEquals(0, t.irqfds.items().size());
        t.sim.run();
        assertEquals(0, ctx.ctxRefs());
        assertFalse(ctx.wqh().waitqueueActive());
    }

    @Test
    void release_deactivatesEveryIrqfd() {
        int a = t.eventfd("a", 0, 0);
        int b = t.eventfd("b", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(a, 5));
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(b, 6));
        boolean[] flushed = {false};
        t.irqfds.release(() -> flushed[0] = true);
        t.sim.run();
        assertTrue(flushed[0]);
        assertEquals(1, t.ctx(a).ctxRefs());
        assertEquals(1, t.ctx(b).ctxRefs());
    }

    @Test
    void eventfdCanBeReboundAfterDeassign() {
        int fd = t.eventfd("e", 0, 0);
        t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 5));
        t.irqfds.kvmIrqfd(KvmIrqfd.deassign(fd, 5));
        t.sim.run();
        assertEquals(0, t.irqfds.kvmIrqfd(KvmIrqfd.assign(fd, 6)));
    }
}
