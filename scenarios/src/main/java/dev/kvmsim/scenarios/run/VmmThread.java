package dev.kvmsim.scenarios.run;

import java.util.ArrayDeque;

/**
 * The VMM thread that makes the host steps, one system call after another: a step whose ioctl
 * sleeps in the kernel before returning (KVM_IRQFD deassign waits in
 * flush_workqueue(irqfd_cleanup_wq) for the irqfd shutdowns it queued, virt/kvm/eventfd.c
 * kvm_irqfd_deassign) holds back the steps after it, which then run in file order as soon as
 * it has returned. Blocked eventfd reads and writes are not such calls: they leave a waiting
 * task behind and the next step does not wait for them (docs/scenarios.md).
 */
final class VmmThread {
    private final ArrayDeque<Runnable> backlog = new ArrayDeque<>();
    private int sleeping;

    /** Runs a step now, or once every earlier step has returned. */
    void submit(Runnable step) {
        if (sleeping > 0) {
            backlog.add(step);
        } else {
            step.run();
        }
    }

    /**
     * Called by a step before an ioctl that may sleep: the returned callback is the ioctl's
     * return. If it runs inside the ioctl (nothing to wait for), no later step is held back.
     */
    Runnable sleepUntilReturn() {
        sleeping++;
        boolean[] returned = {false};
        return () -> {
            if (returned[0]) {
                return;
            }
            returned[0] = true;
            sleeping--;
            while (sleeping == 0 && !backlog.isEmpty()) {
                backlog.poll().run();
            }
        };
    }
}
