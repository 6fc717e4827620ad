package dev.kvmsim.kvm.host;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.EventfdResult;
import dev.kvmsim.kvm.eventfd.Poll;
import dev.kvmsim.kvm.eventfd.PollTask;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.kernel.TaskKind;
import dev.kvmsim.kvm.trace.HostThreadEvent;
import dev.kvmsim.kvm.trace.HostThreadEvent.Action;
import java.util.SplittableRandom;

/**
 * A host thread that answers requests signalled on an eventfd: it polls its wait eventfd,
 * reads it, spends its service time, optionally signals another eventfd, and loops until the
 * run ends (or its wait eventfd is closed: EPOLLHUP). Two kinds:
 * <ul>
 * <li>{@link Kind#VHOST}: a kernel worker (drivers/vhost): woken after {@code vhost.wakeup};
 * consumes the counter with eventfd_ctx_do_read and answers with eventfd_signal.</li>
 * <li>{@link Kind#IOTHREAD}: a userspace VMM thread (QEMU iothread): woken after
 * {@code iothread.wakeup}; read(2) and write(2) of 1, each costing a syscall.</li>
 * </ul>
 * The thread holds a file reference on its wait eventfd while it runs (vhost's eventfd_fget of
 * the kick fd; an iothread's open descriptor), so closing the VMM's descriptor does not end it.
 * Caveats: single simulation thread; a thread holds one request at a time, and signals that
 * arrive while it services collapse into the counter it reads next.
 */
public final class HostThread {
    /** What kind of thread this is. */
    public enum Kind {
        VHOST("vhost", Cost.VHOST_WAKEUP, TaskKind.VHOST),
        IOTHREAD("iothread", Cost.IOTHREAD_WAKEUP, TaskKind.IOTHREAD);

        private final String label;
        private final Cost wakeup;
        private final TaskKind taskKind;

        Kind(String label, Cost wakeup, TaskKind taskKind) {
            this.label = label;
            this.wakeup = wakeup;
            this.taskKind = taskKind;
        }

        /** The kind of task the thread is. */
        public TaskKind taskKind() { return taskKind; }

        public String label() { return label; }

        /** The scenario's {@code kind:} value ({@code vhost}, {@code iothread}). */
        public static Kind byLabel(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown host thread kind '" + label + "'; expected vhost or iothread");
        }
    }

    private final Kernel env;
    private final String name;
    private final Task task;
    private final Kind kind;
    private final EventfdCtx wait;
    private final Distribution service;
    private final EventfdCtx signal;
    private final int cpu;
    private final SplittableRandom random;
    private final PollTask poller;
    // Bound once so the thread's loop allocates nothing per request.
    private final java.util.function.IntConsumer readyFn = this::ready;
    private final Runnable readSyscallFn = this::readSyscall;
    private final Runnable servicedFn = this::serviced;
    private final Runnable writeSyscallFn = this::writeSyscall;
    private final java.util.function.Consumer<EventfdResult> readCompletedFn = this::readCompleted;
    private final java.util.function.Consumer<EventfdResult> writeCompletedFn = r -> waitForRequest();
    private ThreadPolling polling = ThreadPolling.none();
    private AioPollTime aioPollTime;
    private boolean started;
    private boolean stopped;
    private long services;
    private long valuesRead;

    /**
     * A thread {@code name} of {@code kind} on {@code cpu} that waits on {@code wait}, services
     * each request for a draw of {@code service}, then signals {@code signal} (null: none).
     */
    public HostThread(Kernel env, String name, Kind kind, EventfdCtx wait, Distribution service,
                      EventfdCtx signal, int cpu) {
        this.env = env;
        this.name = name;
        this.kind = kind;
        this.wait = wait;
        this.service = service;
        this.signal = signal;
        this.cpu = cpu;
        this.task = env.newTask(kind.taskKind, name, cpu);
        this.random = env.sim().random("thread." + name);
        this.poller = new PollTask(env, task, kind.wakeup);
    }

    public String name() { return name; }

    public Kind kind() { return kind; }

    /** The task this thread is. */
    public Task task() { return task; }

    /** Times the thread was woken out of its poll sleep (not counting events seen while it busy-polled). */
    public long wakeups() { return poller.wakeups(); }

    /** Events the thread saw while it busy-polled, without sleeping. */
    public long polledWakeups() { return poller.polledWakeups(); }

    /** Host CPU time the thread spent busy-polling. */
    public long pollCpuNs() { return poller.spinNs(); }

    /** The thread's polling before it sleeps (none by default). */
    public ThreadPolling polling() { return polling; }

    /**
     * Sets how the thread polls before it sleeps; before {@link #start}. vhost: a fixed busyloop
     * window; iothread: QEMU's adaptive window, starting at 0.
     */
    public void setPolling(ThreadPolling p) {
        if (started) {
            throw new IllegalStateException("host thread " + name + " already started");
        }
        this.polling = p;
        this.aioPollTime = p.mode() == ThreadPolling.Mode.ADAPTIVE ? new AioPollTime(p.pollMaxNs(), p.pollGrow(), p.pollShrink()) : null;
    }

    /** The thread competes for the host's CPUs of {@code allowed} (see dev.kvmsim.kvm.sched.HostCpus); before {@link #start}. */
    public void attachCpus(dev.kvmsim.kvm.sched.HostCpus cpus, long allowed) {
        poller.attachCpus(cpus, allowed);
    }

    /** The thread's scheduler view, or null without a CPU model. */
    public dev.kvmsim.kvm.sched.CpuThread cpuThread() { return poller.cpuThread(); }

    /** The poll window the thread uses next (the adaptive one now, or the fixed busyloop). */
    public long pollWindowNs() {
        return switch (polling.mode()) {
            case NONE -> 0;
            // vhost_net_busy_poll runs from the handler once it has handled a request: the
            // worker's first wait, before any kick, is a plain sleep
            case BUSYLOOP -> services > 0 ? polling.busyloopNs() : 0;
            case ADAPTIVE -> aioPollTime.ns();
        };
    }

    /** Requests serviced (each read that returned non-zero is one request). */
    public long services() { return services; }

    /** The sum of the values read from the wait eventfd. */
    public long valuesRead() { return valuesRead; }

    public boolean stopped() { return stopped; }

    /** Starts the loop at the current simulated time. */
    public void start() {
        if (started) {
            throw new IllegalStateException("host thread " + name + " already started");
        }
        started = true;
        wait.fileGet();
        waitForRequest();
    }

    /** Stops the loop; a poll in progress is abandoned. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        poller.cancel();
        trace(Action.STOP, wait.name(), 0);
        if (started) {
            wait.filePut();
        }
    }

    private void waitForRequest() {
        if (stopped) {
            return;
        }
        poller.poll(wait, Poll.EPOLLIN, readyFn, pollWindowNs());
    }

    private void ready(int mask) {
        if (stopped) {
            return;
        }
        if (aioPollTime != null) {
            aioPollTime.adjust(poller.lastBlockNs()); // aio_poll's adjust_polling_time
        }
        if ((mask & Poll.EPOLLIN) == 0) {
            waitForRequest();
            return;
        }
        if (kind == Kind.VHOST) {
            long value;
            try (Kernel.Switch s = env.switchTo(task)) {
                value = wait.eventfdCtxDoRead();
            }
            gotValue(value);
        } else {
            env.sim().schedule(env.charge(Cost.SYSCALL_READ, random), readSyscallFn);
        }
    }

    private void readSyscall() {
        EventfdResult r;
        try (Kernel.Switch s = env.switchTo(task)) {
            r = wait.read(readCompletedFn);
        }
        if (!r.isBlocked()) {
            readCompleted(r);
        }
    }

    private void readCompleted(EventfdResult r) {
        gotValue(r.isOk() ? r.value() : 0);
    }

    private void gotValue(long value) {
        if (value == 0) {
            waitForRequest();
            return;
        }
        valuesRead += value;
        trace(Action.READ, wait.name(), value);
        long t = service.sample(random);
        trace(Action.SERVICE_START, "", t);
        env.sim().schedule(t, servicedFn);
    }

    private void serviced() {
        services++;
        if (signal == null) {
            waitForRequest();
        } else if (kind == Kind.VHOST) {
            try (Kernel.Switch s = env.switchTo(task)) {
                trace(Action.SIGNAL, signal.name(), 1);
                signal.eventfdSignal();
            }
            waitForRequest();
        } else {
            env.sim().schedule(env.charge(Cost.SYSCALL_WRITE, random), writeSyscallFn);
        }
    }

    private void writeSyscall() {
        EventfdResult r;
        try (Kernel.Switch s = env.switchTo(task)) {
            trace(Action.SIGNAL, signal.name(), 1);
            r = signal.write(1, writeCompletedFn);
        }
        if (!r.isBlocked()) {
            waitForRequest();
        }
    }

    private void trace(Action action, String eventfd, long value) {
        if (env.sim().tracing()) {
            env.sim().trace(new HostThreadEvent(env.sim().now(), name, cpu, name, kind.label(), action, eventfd, value));
        }
    }
}
