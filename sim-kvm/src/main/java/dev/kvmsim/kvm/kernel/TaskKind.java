package dev.kvmsim.kvm.kernel;

/** What a {@link Task} is: the kernel or userspace thread it stands for. */
public enum TaskKind {
    /** A vCPU thread in KVM_RUN ({@code vcpu0}); its id is the vCPU index. */
    VCPU("vCPU thread"),
    /** A workqueue worker ({@code kworker/0:1}, kernel/workqueue.c worker_thread). */
    KWORKER("kworker"),
    /** A vhost worker thread (drivers/vhost/vhost.c vhost_run_work_list). */
    VHOST("vhost worker"),
    /** A userspace VMM iothread (QEMU's iothread: ppoll/epoll_wait, read(2), write(2)). */
    IOTHREAD("iothread"),
    /** The VMM's main thread issuing ioctls and handling userspace exits. */
    VMM("VMM thread"),
    /** An in-kernel caller with no thread of its own in the model (a test, a timer). */
    KERNEL("in-kernel caller");

    private final String label;

    TaskKind(String label) {
        this.label = label;
    }

    /** Human-readable kind ({@code "vhost worker"}). */
    public String label() { return label; }
}
