package dev.kvmsim.kvm.vcpu;

import dev.kvmsim.core.Durations;
import dev.kvmsim.core.RunLimitExceeded;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.stats.LatencyRecorder;
import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.haltpoll.GuestHaltPollGovernor;
import dev.kvmsim.kvm.haltpoll.GuestHaltPollParams;
import dev.kvmsim.kvm.haltpoll.HaltPollControl;
import dev.kvmsim.kvm.haltpoll.HaltPollListener;
import dev.kvmsim.kvm.haltpoll.HaltPollParams;
import dev.kvmsim.kvm.haltpoll.HaltPoller;
import dev.kvmsim.kvm.iobus.KvmIoBus;
import dev.kvmsim.kvm.iobus.KvmIoDevice;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.kernel.Task;
import dev.kvmsim.kvm.sched.CpuThread;
import dev.kvmsim.kvm.sched.HostCpus;
import dev.kvmsim.kvm.trace.GuestHaltPollNs;
import dev.kvmsim.kvm.trace.GuestIrqHandler;
import dev.kvmsim.kvm.trace.KvmEntry;
import dev.kvmsim.kvm.trace.KvmExit;
import dev.kvmsim.kvm.trace.KvmFastMmio;
import dev.kvmsim.kvm.trace.KvmHaltPollNs;
import dev.kvmsim.kvm.trace.KvmInjVirq;
import dev.kvmsim.kvm.trace.KvmMmio;
import dev.kvmsim.kvm.trace.KvmPio;
import dev.kvmsim.kvm.trace.KvmUserspaceExit;
import dev.kvmsim.kvm.trace.KvmVcpuWakeup;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Models a KVM vCPU on VMX (arch/x86/kvm/x86.c vcpu_enter_guest / vcpu_run, vmx/vmx.c
 * vmx_handle_exit): a state machine in simulated time that interprets a guest program.
 *
 * <p>Caveats: single simulation thread; every phase is a scheduled event with a cost drawn from
 * the cost model on this vCPU's own random stream ({@code "vcpuN.costs"}). One exit at a time:
 * exit (vmx.exit), handling (the handler's cost, dispatch), optional userspace round trip,
 * injection of the highest-priority deliverable vector when IF=1 (entry.inject_virq), entry
 * (vmx.entry). The guest's interrupt handler runs with IF=0 (interrupt gate) and writes EOI
 * (MSR_WRITE exit, or EOI_INDUCED / none with APICv), then returns (IF=1). Without APICv, an
 * interrupt that is pending at entry while IF=0 arms the interrupt window: the guest exits with
 * INTERRUPT_WINDOW as soon as it sets IF (sti, or the handler's iret).
 */
public final class Vcpu {
    /** The host vector of the reschedule IPI a kick sends (RESCHEDULE_VECTOR). */
    static final int RESCHEDULE_VECTOR = 0xfd;
    /** VM-entry/exit interruption info "valid" bit. */
    static final int INTR_INFO_VALID = 0x8000_0000;
    static final long IOREGSEL = 0xfec0_0000L;
    static final long IOWIN = 0xfec0_0010L;
    static final long APIC_BASE = 0xfee0_0000L;
    static final long PAGE_SIZE = 4096;
    private static final long RIP_BASE = 0xffff_ffff_8100_0000L;
    private static final long RIP_HANDLER = 0xffff_ffff_81e0_0000L;
    private static final long RIP_IDLE = 0xffff_ffff_81f0_0000L;

    private enum Activity { NEXT, COMPUTE, WAIT_IRQ, WAIT_UNTIL, IDLE }

    /** A position in a (nested) list of actions; repeat bodies push frames. */
    private static final class Frame {
        final List<GuestAction> list;
        final long rip;
        int pc;
        /** Unsigned. */
        long iterationsLeft;

        Frame(List<GuestAction> list, long iterations, long rip) {
            this.list = list;
            this.iterationsLeft = iterations;
            this.rip = rip;
        }
    }

    private final int id;
    private final Task task;
    private final Kernel env;
    private final Simulation sim;
    private final SplittableRandom rnd;
    private final KvmIoBus mmioBus;
    private final KvmIoBus pioBus;
    private final KvmIoBus fastMmioBus;
    private final UserspaceExitHandler userspace;
    private final boolean apicv;
    private LocalApicPort lapic = LocalApicPort.NONE;

    // ---- program ----
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final Map<GuestAction, Long> rips = new IdentityHashMap<>();
    private boolean started;

    // ---- state ----
    private VcpuState state = VcpuState.IDLE;
    private boolean interruptFlag = true;
    private Activity activity = Activity.IDLE;
    private long rip = RIP_IDLE;
    private long computeRemaining;
    private long computeEnd;
    private long computeEvent = -1;
    private int waitVector = -1;
    private boolean waitSatisfied;
    /**
     * Interrupts taken per vector that no wait_irq has claimed yet: a guest driver checks its
     * completion before it halts, so an interrupt that came before the wait satisfies it.
     */
    private final long[] unclaimed = new long[256];
    private long unclaimedTotal;
    private long waitTimeoutEvent = -1;
    private long waitUntil;
    private long wakeEvent = -1;
    private boolean irqWindow;

    private boolean inHandler;
    private int handlerVector;
    private long handlerRemaining;
    private long handlerEnd;
    private long handlerEvent = -1;
    private boolean handlerEoiDone;

    private long kickEvent = -1;
    private boolean waking;

    // ---- halt polling (virt/kvm/kvm_main.c kvm_vcpu_halt) ----
    private HaltPoller haltPoller;
    /** The end of the poll window in progress, or -1. */
    private long pollEndEvent = -1;
    /** The wake in flight ({@code waking}) was seen by the polling loop, not a wakeup of the blocked thread. */
    private boolean wakeFromPoll;

    // ---- host CPU contention (null: the vCPU thread owns its CPU) ----
    private HostCpus cpus;
    private CpuThread cpuThread;
    /** What to do when the scheduler grants the CPU: 1 a slept halt wake (pays vcpu.halt_wakeup), 2 a timer wake. */
    private int afterGrant;

    // ---- the guest's haltpoll cpuidle governor (drivers/cpuidle/governors/haltpoll.c); null: off ----
    private GuestHaltPollGovernor guestIdle;
    private boolean guestPolling;
    private long guestPollStart;
    private long guestPollEvent = -1;
    /** The guest executed HLT through the governor; the halt ends at the next VM entry. */
    private boolean guestHalting;
    private long guestHaltStart;

    // ---- the exit in progress ----
    private ExitReason exitReason = ExitReason.HLT;
    private long exitStart;
    private int injectVector = -1;
    private GuestAction.MmioWrite mmio;
    private GuestAction.PioWrite pio;
    private final long[] pieceAddr = new long[4];
    private final int[] pieceLen = new int[4];
    private final long[] pieceData = new long[4];
    private int pieces;
    private int pieceNext;
    private UserspaceExitKind pieceKind = UserspaceExitKind.MMIO;
    private boolean ioeventfdHit;

    // ---- counts and metrics ----
    private final long[] exits = new long[ExitReason.values().length];
    private final long[] delivered = new long[256];
    private final long[] userspaceExits = new long[UserspaceExitKind.values().length];
    private long[] actionKernel = new long[16];
    private long[] actionUserspace = new long[16];
    private long expectationViolations;
    private long earliestNotify = -1;
    private final LatencyRecorder[] exitToEntry = new LatencyRecorder[ExitReason.values().length];
    /** The same per vCPU ({@code exit_to_entry.vcpuN.REASON}), so scenarios can compare one vCPU's case with another's. */
    private final LatencyRecorder[] exitToEntryVcpu = new LatencyRecorder[ExitReason.values().length];
    private final LatencyRecorder notifyToIrq;
    private final LatencyRecorder notifyToIrqVcpu;

    // ---- preallocated continuations (no capturing lambdas on the hot path) ----
    private final Runnable handleExitStep = asTask(this::handleExit);
    private final Runnable prepareEntryStep = asTask(this::prepareEntry);
    private final Runnable completeEntryStep = asTask(this::completeEntry);
    private final Runnable computeDoneStep = asTask(this::computeDone);
    private final Runnable handlerDoneStep = asTask(this::handlerDone);
    private final Runnable kickArriveStep = asTask(this::kickArrive);
    private final Runnable toUserspaceStep = asTask(this::toUserspace);
    private final Runnable userspaceReturnStep = asTask(this::userspaceReturn);
    private final Runnable waitTimeoutStep = asTask(this::waitTimeout);
    private final Runnable timerWakeStep = asTask(this::timerWake);
    private final Runnable haltWakeStep = asTask(this::haltWake);
    private final Runnable sleepStep = asTask(this::sleep);
    private final Runnable pollEndStep = asTask(this::pollEnd);
    private final Runnable guestPollEndStep = asTask(this::guestPollEnd);
    private final Runnable grantedStep = asTask(this::granted);

    /** {@code step} run as this vCPU's thread (each step is a moment of the vCPU thread's life). */
    private Runnable asTask(Runnable step) {
        return () -> {
            try (Kernel.Switch s = env.switchTo(task)) {
                step.run();
            }
        };
    }

    /**
     * A vCPU on {@code env}'s simulation, dispatching to the given buses and exiting to
     * {@code userspace}; {@code apicv} selects posted-interrupt delivery and virtualized EOI.
     */
    public Vcpu(int id, Kernel env, KvmIoBus mmioBus, KvmIoBus pioBus, KvmIoBus fastMmioBus,
                UserspaceExitHandler userspace, boolean apicv) {
        this.id = id;
        this.task = env.newVcpuTask(id);
        this.env = env;
        this.sim = env.sim();
        this.rnd = sim.random(task.comm() + ".costs");
        this.mmioBus = mmioBus;
        this.pioBus = pioBus;
        this.fastMmioBus = fastMmioBus;
        this.userspace = userspace;
        this.apicv = apicv;
        for (ExitReason r : ExitReason.values()) {
            exitToEntry[r.ordinal()] = sim.stats().latency("exit_to_entry." + r.name());
            exitToEntryVcpu[r.ordinal()] = sim.stats().latency("exit_to_entry." + task.comm() + "." + r.name());
        }
        notifyToIrq = sim.stats().latency("notify_to_irq");
        notifyToIrqVcpu = sim.stats().latency("notify_to_irq." + task.comm());
        attachHaltPoll(new HaltPollControl(HaltPollParams.kernelDefaults()));
    }

    /**
     * Halt polling of this vCPU under {@code control} (the VM's module parameters and
     * KVM_CAP_HALT_POLL override); the window starts at 0. A vCPU made on its own polls with
     * the kernel's defaults.
     */
    public void attachHaltPoll(HaltPollControl control) {
        haltPoller = new HaltPoller(id, control);
        haltPoller.setListener(new HaltPollListener() {
            @Override
            public void haltPollNs(boolean grow, int vcpuId, long newNs, long oldNs) {
                if (sim.tracing()) {
                    sim.trace(new KvmHaltPollNs(sim.now(), vcpuId, grow, newNs, oldNs));
                }
            }

            @Override
            public void vcpuWakeup(long ns, boolean waited, boolean valid) {
                if (sim.tracing()) {
                    sim.trace(new KvmVcpuWakeup(sim.now(), id, ns, waited, valid));
                }
            }
        });
    }

    /**
     * The vCPU thread competes for the host's CPUs (see {@link HostCpus}): it holds one while it
     * runs, exits or halt-polls, and gives it up when it blocks in kvm_vcpu_block; a woken vCPU
     * waits for a CPU of {@code allowed}. Halt polling stops as soon as another task waits for
     * its CPU (include/linux/kvm_host.h kvm_vcpu_can_poll: single_task_running, need_resched).
     */
    public void attachCpus(HostCpus hostCpus, long allowed) {
        this.cpus = hostCpus;
        this.cpuThread = hostCpus.register(task, allowed, grantedStep);
        cpuThread.setOnNeedResched(this::needResched);
        hostCpus.wake(cpuThread);
    }

    /** The vCPU thread's scheduler view, or null without a CPU model. */
    public CpuThread cpuThread() { return cpuThread; }

    /** Another task waits for this CPU: a halt-polling loop ends now (kvm_vcpu_can_poll false) and the vCPU blocks. */
    private void needResched() {
        if (pollEndEvent >= 0 && haltPoller.polling() && !waking) {
            sim.cancel(pollEndEvent);
            pollEnd();
        }
    }

    private void granted() {
        int what = afterGrant;
        afterGrant = 0;
        if (what == 1) {
            sim.schedule(draw(Cost.VCPU_HALT_WAKEUP), haltWakeStep);
        } else if (what == 2) {
            timerWakeNow();
        }
    }

    /** This vCPU's halt polling: its window ({@code vcpu->halt_poll_ns}) and statistics. */
    public HaltPoller haltPoller() { return haltPoller; }

    /**
     * The guest idles through the cpuidle-haltpoll driver and the haltpoll governor
     * (drivers/cpuidle/governors/haltpoll.c): before it executes HLT it may poll in guest mode
     * (poll_state.c poll_idle), and the driver turns the host's halt polling off for this vCPU
     * (arch/x86/kernel/kvm.c arch_haltpoll_enable: MSR_KVM_POLL_CONTROL = 0).
     */
    public void enableGuestHaltPoll(GuestHaltPollParams params) {
        guestIdle = new GuestHaltPollGovernor(params, (grow, newNs, oldNs) -> {
            if (sim.tracing()) {
                sim.trace(new GuestHaltPollNs(sim.now(), id, grow, newNs, oldNs));
            }
        });
        haltPoller.setGuestDisabledPolling(true);
    }

    /** The guest's haltpoll governor, or null when the guest halts at once (the default). */
    public GuestHaltPollGovernor guestHaltPoll() { return guestIdle; }

    // =====================================================================================
    // Set-up and inspection
    // =====================================================================================

    public int id() { return id; }

    public boolean apicv() { return apicv; }

    public VcpuState state() { return state; }

    /** The guest's RFLAGS.IF. */
    public boolean interruptFlag() { return interruptFlag; }

    public LocalApicPort localApic() { return lapic; }

    /** Installs the in-kernel LAPIC (done when the vCPU is created with an in-kernel irqchip). */
    public void attachLocalApic(LocalApicPort port) {
        this.lapic = port;
    }

    /** Sets the guest program; call before {@link #start()}. */
    public void setProgram(List<GuestAction> program) {
        if (started) {
            throw new IllegalStateException(task.comm() + ": program set after start");
        }
        frames.clear();
        rips.clear();
        numberActions(program, new long[] {0});
        frames.push(new Frame(List.copyOf(program), 1, RIP_BASE));
    }

    private void numberActions(List<GuestAction> list, long[] n) {
        for (GuestAction a : list) {
            rips.put(a, RIP_BASE + 0x10 * n[0]++);
            if (a instanceof GuestAction.Repeat r) {
                numberActions(r.body(), n);
            }
        }
    }

    /** Starts the vCPU at the current simulated time: the guest begins its program (or idles). */
    public void start() {
        if (started) {
            return;
        }
        started = true;
        sim.schedule(0, asTask(() -> {
            state = VcpuState.GUEST_RUNNING;
            activity = frames.isEmpty() ? Activity.IDLE : Activity.NEXT;
            resumeGuest();
        }));
    }

    /** Exits taken for {@code reason}. */
    public long exits(ExitReason reason) { return exits[reason.ordinal()]; }

    /** Interrupts of {@code vector} the guest took. */
    public long delivered(int vector) { return delivered[vector & 0xff]; }

    /** Interrupts of any vector the guest took. */
    public long deliveredTotal() {
        long s = 0;
        for (long d : delivered) {
            s += d;
        }
        return s;
    }

    /** Exits to userspace of this kind (one per KVM_RUN return). */
    public long userspaceExits(UserspaceExitKind kind) { return userspaceExits[kind.ordinal()]; }

    /** Kernel/userspace outcome counts of the write action with this id. */
    public ActionCounts actionCounts(int actionId) {
        if (actionId < 0 || actionId >= actionKernel.length) {
            return new ActionCounts(0, 0);
        }
        return new ActionCounts(actionKernel[actionId], actionUserspace[actionId]);
    }

    /** Executions of write actions whose outcome contradicted their {@code expect}. */
    public long expectationViolations() { return expectationViolations; }

    // =====================================================================================
    // Interrupt delivery from the LAPIC (lapic.c -> x86.c)
    // =====================================================================================

    /**
     * Models kvm_make_request(KVM_REQ_EVENT) + kvm_vcpu_kick: a vCPU in guest mode gets a
     * reschedule IPI (vcpu.kick_ipi later it takes an EXTERNAL_INTERRUPT exit); a halted one is
     * woken (vcpu.halt_wakeup) if an interrupt is now deliverable; a vCPU already in an exit or in
     * userspace injects at its next entry.
     */
    public void kick() {
        if (!started) {
            return;
        }
        switch (state) {
            case GUEST_RUNNING -> {
                if (kickEvent < 0) {
                    kickEvent = sim.schedule(draw(Cost.VCPU_KICK_IPI), kickArriveStep);
                }
            }
            case HALTED, IDLE -> wakeIfRunnable();
            case IN_EXIT, IN_USERSPACE -> { }
        }
    }

    /**
     * Models APICv posted-interrupt delivery (vmx_deliver_interrupt with APICv): a vCPU in guest
     * mode with IF=1 takes the interrupt without a VM exit; with IF=0 it stays pending until the
     * guest sets IF; a halted vCPU is woken; in an exit it is delivered after the next entry.
     */
    public void postedInterrupt() {
        if (!started) {
            return;
        }
        switch (state) {
            case GUEST_RUNNING -> {
                if (interruptFlag && !inHandler) {
                    int v = lapic.pendingVector();
                    if (v >= 0) {
                        pauseGuest();
                        lapic.acknowledge(v);
                        startHandler(v, true);
                    }
                }
            }
            case HALTED, IDLE -> wakeIfRunnable();
            case IN_EXIT, IN_USERSPACE -> { }
        }
    }

    /** kvm_vcpu_check_block: a halted vCPU wakes when IF=1 and an interrupt is deliverable. */
    private void wakeIfRunnable() {
        if (!waking && interruptFlag && lapic.pendingVector() >= 0) {
            waking = true;
            cancelWake();
            if (haltPoller.polling()) {
                // the polling loop's kvm_vcpu_check_block sees it now (no thread to wake) and
                // kvm_vcpu_halt ends; vcpu.halt_poll_wakeup is the way back to vcpu_enter_guest
                cancelPollEnd();
                endHalt(true);
                wakeFromPoll = true;
                sim.schedule(draw(Cost.VCPU_HALT_POLL_WAKEUP), haltWakeStep);
            } else {
                wakeFromPoll = false;
                if (haltPoller.halted()) {
                    haltPoller.wakeupSleeping();
                }
                if (cpus == null || cpus.wake(cpuThread)) {
                    sim.schedule(draw(Cost.VCPU_HALT_WAKEUP), haltWakeStep);
                } else {
                    afterGrant = 1; // runs (and pays its wake-up) once it has a CPU
                }
            }
        }
    }

    private void haltWake() {
        waking = false;
        if (!wakeFromPoll) {
            endHalt(false); // the blocked thread runs again: kvm_vcpu_block returns
        }
        state = VcpuState.IN_EXIT;
        prepareEntry();
    }

    /**
     * The end of kvm_vcpu_halt now: polled (the loop saw the wake event: {@code halt_ns} is
     * measured up to here, within the window) or after blocking (the thread runs again). A wake
     * of a vCPU that was not in kvm_vcpu_halt (not yet started) ends nothing.
     */
    private void endHalt(boolean polled) {
        if (!haltPoller.halted()) {
            return;
        }
        // x86: every wakeup is valid (include/linux/kvm_host.h vcpu_valid_wakeup)
        if (polled) {
            haltPoller.polledWakeup(sim.now(), true);
        } else {
            haltPoller.blockedWakeup(sim.now(), true);
        }
    }

    /** A timer-like wake (wait_until, a wait_irq timeout) of the halted vCPU now: no wake-up cost, as before. */
    private void endHaltByTimer() {
        if (haltPoller.polling()) {
            cancelPollEnd();
            endHalt(true);
        } else {
            if (haltPoller.halted()) {
                haltPoller.wakeupSleeping();
            }
            endHalt(false);
        }
    }

    private void cancelPollEnd() {
        if (pollEndEvent >= 0) {
            sim.cancel(pollEndEvent);
            pollEndEvent = -1;
        }
    }

    /** The poll window ran out (kvm_vcpu_can_poll false): the vCPU blocks in kvm_vcpu_block. */
    private void pollEnd() {
        pollEndEvent = -1;
        haltPoller.pollExpired(sim.now());
        if (cpus != null) {
            cpus.block(cpuThread);
        }
    }

    private void kickArrive() {
        kickEvent = -1;
        if (state == VcpuState.GUEST_RUNNING) {
            pauseGuest();
            exit(ExitReason.EXTERNAL_INTERRUPT, 0, INTR_INFO_VALID | RESCHEDULE_VECTOR);
        }
    }

    // =====================================================================================
    // The guest side: the program interpreter
    // =====================================================================================

    /** The guest runs on from where it was (vCPU in guest mode, nothing being injected). */
    private void resumeGuest() {
        if (inHandler) {
            if (handlerEoiDone) {
                iret();
            } else {
                runHandler();
            }
            return;
        }
        if (apicv && interruptFlag && takePostedInGuest()) {
            return;
        }
        switch (activity) {
            case COMPUTE -> {
                computeEnd = sim.now() + computeRemaining;
                computeEvent = sim.schedule(computeRemaining, computeDoneStep);
            }
            case WAIT_IRQ -> {
                if (waitSatisfied) {
                    endWait();
                    nextAction();
                } else {
                    halt();
                }
            }
            case WAIT_UNTIL -> {
                if (sim.now() >= waitUntil) {
                    activity = Activity.NEXT;
                    nextAction();
                } else {
                    halt();
                }
            }
            case IDLE -> {
                rip = RIP_IDLE;
                halt();
            }
            case NEXT -> nextAction();
        }
    }

    /** With APICv, a pending vector is delivered in guest mode (virtual interrupt delivery). */
    private boolean takePostedInGuest() {
        int v = lapic.pendingVector();
        if (v < 0) {
            return false;
        }
        lapic.acknowledge(v);
        startHandler(v, true);
        return true;
    }

    private void computeDone() {
        computeEvent = -1;
        computeRemaining = 0;
        activity = Activity.NEXT;
        nextAction();
    }

    /**
     * Fetches and starts the next action; zero-time actions (cli, sti, repeat, compute 0) run
     * inline, at most {@link Simulation#zeroTimeLimit()} of them in a row (then the run is
     * stopped: a guest loop that takes no simulated time would never end).
     */
    private void nextAction() {
        long inline = 0;
        while (true) {
            if (++inline > sim.zeroTimeLimit()) {
                throw new RunLimitExceeded(RunLimitExceeded.Kind.ZERO_TIME_LOOP, "zero-time loop: vCPU " + id + " ran more than "
                        + sim.zeroTimeLimit() + " guest actions at " + Durations.format(sim.now()) + " without simulated time passing");
            }
            GuestAction a = fetch();
            if (a == null) {
                activity = Activity.IDLE;
                interruptFlag = true;
                rip = RIP_IDLE;
                if (!irqWindowExit()) {
                    halt();
                }
                return;
            }
            Long r = rips.get(a);
            if (r != null) {
                rip = r;
            }
            switch (a.kind()) {
                case COMPUTE -> {
                    activity = Activity.COMPUTE;
                    computeRemaining = ((GuestAction.Compute) a).ns();
                    if (computeRemaining == 0) {
                        activity = Activity.NEXT;
                        continue;
                    }
                    resumeGuest();
                    return;
                }
                case MMIO_WRITE -> {
                    mmio = (GuestAction.MmioWrite) a;
                    activity = Activity.NEXT;
                    exit(ExitReason.EPT_MISCONFIG, 0, 0);
                    return;
                }
                case PIO_WRITE -> {
                    pio = (GuestAction.PioWrite) a;
                    activity = Activity.NEXT;
                    GuestAction.PioWrite p = pio;
                    // exit qualification: size-1 in bits 2:0, direction (bit 3) out = 0, port in 31:16
                    exit(ExitReason.IO_INSTRUCTION, (p.len() - 1) | ((long) p.port() << 16), 0);
                    return;
                }
                case REPEAT -> {
                    GuestAction.Repeat rep = (GuestAction.Repeat) a;
                    if (rep.count() != 0 && !rep.body().isEmpty()) {
                        frames.push(new Frame(rep.body(), rep.count(), rip));
                    }
                }
                case WAIT_IRQ -> {
                    GuestAction.WaitIrq w = (GuestAction.WaitIrq) a;
                    activity = Activity.WAIT_IRQ;
                    waitVector = w.vector();
                    waitSatisfied = claimTaken(waitVector);
                    // a timeout past the end of representable time can never fire: no timeout
                    if (!waitSatisfied && w.timeoutNs() >= 0 && w.timeoutNs() <= Long.MAX_VALUE - sim.now()) {
                        waitTimeoutEvent = sim.schedule(w.timeoutNs(), waitTimeoutStep);
                    }
                    // "sti; hlt": the guest enables interrupts and halts
                    interruptFlag = true;
                    if (!irqWindowExit()) {
                        resumeGuest();
                    }
                    return;
                }
                case WAIT_UNTIL -> {
                    activity = Activity.WAIT_UNTIL;
                    waitUntil = ((GuestAction.WaitUntil) a).timeNs();
                    resumeGuest();
                    return;
                }
                case CLI -> interruptFlag = false;
                case STI -> {
                    interruptFlag = true;
                    if (irqWindowExit()) {
                        return;
                    }
                    if (apicv && takePostedInGuest()) {
                        return;
                    }
                }
                case IOAPIC_REDIRECT -> {
                    GuestAction.IoapicRedirect io = (GuestAction.IoapicRedirect) a;
                    int pin = io.pin();
                    frames.push(new Frame(List.of(
                            GuestAction.MmioWrite.of(-1, IOREGSEL, 4, 0x11 + 2L * pin),
                            GuestAction.MmioWrite.of(-1, IOWIN, 4, io.highDword()),
                            GuestAction.MmioWrite.of(-1, IOREGSEL, 4, 0x10 + 2L * pin),
                            GuestAction.MmioWrite.of(-1, IOWIN, 4, io.lowDword())), 1, rip));
                }
            }
        }
    }

    /** The next action in program order, or null at the end of the program. */
    private GuestAction fetch() {
        while (!frames.isEmpty()) {
            Frame f = frames.peek();
            if (f.pc < f.list.size()) {
                return f.list.get(f.pc++);
            }
            if (--f.iterationsLeft != 0) { // unsigned: a count of 2^64-1 runs that many times
                f.pc = 0;
                continue;
            }
            frames.pop();
        }
        return null;
    }

    /**
     * Without APICv, IF just became 1 with an interrupt pending and the window armed: the guest
     * exits with INTERRUPT_WINDOW so KVM can inject.
     */
    private boolean irqWindowExit() {
        if (!apicv && irqWindow && lapic.pendingVector() >= 0) {
            irqWindow = false;
            exit(ExitReason.INTERRUPT_WINDOW, 0, 0);
            return true;
        }
        return false;
    }

    /**
     * Claims an interrupt taken before this wait_irq: one of {@code vector}, or (vector -1)
     * every unclaimed one. True when there was one.
     */
    private boolean claimTaken(int vector) {
        if (unclaimedTotal == 0) {
            return false;
        }
        if (vector < 0) {
            Arrays.fill(unclaimed, 0);
            unclaimedTotal = 0;
            return true;
        }
        if (unclaimed[vector] == 0) {
            return false;
        }
        unclaimed[vector]--;
        unclaimedTotal--;
        return true;
    }

    /** The guest goes idle: the haltpoll governor may poll first (guest mode), else HLT. */
    private void halt() {
        if (guestIdle != null) {
            if (guestIdle.select() == GuestHaltPollGovernor.POLL) {
                startGuestPoll();
                return;
            }
            guestHalting = true;
            guestHaltStart = sim.now();
        }
        exit(ExitReason.HLT, 0, 0);
    }

    /** Models drivers/cpuidle/poll_state.c poll_idle: spin in guest mode up to the poll limit (or the wait_until time). */
    private void startGuestPoll() {
        guestPolling = true;
        guestPollStart = sim.now();
        long limit = guestIdle.pollLimitNs();
        if (activity == Activity.WAIT_UNTIL) {
            limit = Math.min(limit, Math.max(0, waitUntil - sim.now()));
        }
        guestPollEvent = sim.schedule(limit, guestPollEndStep);
    }

    /** The guest poll ran to its end: its limit ran out (poll_time_limit), or the wait_until time came. */
    private void guestPollEnd() {
        guestPollEvent = -1;
        boolean timer = activity == Activity.WAIT_UNTIL && sim.now() >= waitUntil;
        endGuestPoll(!timer);
        resumeGuest();
    }

    /** The guest poll ends now; {@code timedOut}: by its limit, else an event (need_resched) ended it. */
    private void endGuestPoll(boolean timedOut) {
        if (guestPollEvent >= 0) {
            sim.cancel(guestPollEvent);
            guestPollEvent = -1;
        }
        guestPolling = false;
        guestIdle.polled(sim.now() - guestPollStart, timedOut);
    }

    private void endWait() {
        activity = Activity.NEXT;
        waitSatisfied = false;
        if (waitTimeoutEvent >= 0) {
            sim.cancel(waitTimeoutEvent);
            waitTimeoutEvent = -1;
        }
    }

    private void waitTimeout() {
        waitTimeoutEvent = -1;
        if (activity == Activity.WAIT_IRQ) {
            waitSatisfied = true;
            if (guestPolling) {
                // the guest's timer ends its poll (an event, not the poll limit)
                endGuestPoll(false);
                resumeGuest();
                return;
            }
            if ((state == VcpuState.HALTED || state == VcpuState.IDLE) && !waking) {
                if (cpus != null && !haltPoller.polling() && !cpus.wake(cpuThread)) {
                    waking = true; // completes when the vCPU gets a CPU
                    afterGrant = 2;
                    return;
                }
                timerWakeNow();
            }
        }
    }

    private void timerWake() {
        wakeEvent = -1;
        if (state == VcpuState.HALTED && !waking) {
            if (cpus != null && !haltPoller.polling() && !cpus.wake(cpuThread)) {
                waking = true; // a wake is in flight: it completes when the vCPU gets a CPU
                afterGrant = 2;
                return;
            }
            timerWakeNow();
        }
    }

    private void timerWakeNow() {
        waking = false;
        cancelWake();
        endHaltByTimer();
        state = VcpuState.IN_EXIT;
        prepareEntry();
    }

    private void cancelWake() {
        if (wakeEvent >= 0) {
            sim.cancel(wakeEvent);
            wakeEvent = -1;
        }
    }

    /** Stops the running guest code where it is (an exit or a posted interrupt preempts it). */
    private void pauseGuest() {
        long now = sim.now();
        if (guestPolling) {
            endGuestPoll(false); // an interrupt: need_resched ends poll_idle
        }
        if (computeEvent >= 0) {
            sim.cancel(computeEvent);
            computeEvent = -1;
            computeRemaining = computeEnd - now;
        }
        if (handlerEvent >= 0) {
            sim.cancel(handlerEvent);
            handlerEvent = -1;
            handlerRemaining = handlerEnd - now;
        }
    }

    // =====================================================================================
    // The guest's interrupt handler
    // =====================================================================================

    /** The guest enters its handler for {@code vector} (IF cleared by the interrupt gate). */
    private void startHandler(int vector, boolean posted) {
        inHandler = true;
        handlerVector = vector;
        handlerEoiDone = false;
        interruptFlag = false;
        delivered[vector & 0xff]++;
        if (earliestNotify >= 0) {
            long lat = sim.now() - earliestNotify;
            notifyToIrq.record(lat);
            notifyToIrqVcpu.record(lat);
            earliestNotify = -1;
        }
        if (sim.tracing()) {
            sim.trace(new GuestIrqHandler(sim.now(), id, vector, posted));
        }
        handlerRemaining = draw(Cost.GUEST_IRQ_HANDLER);
        runHandler();
    }

    private void runHandler() {
        handlerEnd = sim.now() + handlerRemaining;
        handlerEvent = sim.schedule(handlerRemaining, handlerDoneStep);
    }

    /** The handler's body is done: it writes EOI (exiting unless virtualized), then irets. */
    private void handlerDone() {
        handlerEvent = -1;
        handlerRemaining = 0;
        if (lapic.eoiExits(handlerVector)) {
            exit(apicv ? ExitReason.EOI_INDUCED : ExitReason.MSR_WRITE, apicv ? handlerVector : 0, 0);
        } else {
            lapic.eoi();
            iret();
        }
    }

    /** iret: IF is restored; a pending interrupt is taken now or through the window exit. */
    private void iret() {
        int v = handlerVector;
        inHandler = false;
        handlerEoiDone = false;
        interruptFlag = true;
        if (activity == Activity.WAIT_IRQ && !waitSatisfied && (waitVector < 0 || waitVector == v)) {
            waitSatisfied = true;
        } else {
            unclaimed[v]++;
            unclaimedTotal++;
        }
        if (irqWindowExit()) {
            return;
        }
        resumeGuest();
    }

    // =====================================================================================
    // The exit pipeline: exit -> handle -> (userspace) -> inject -> entry
    // =====================================================================================

    private void exit(ExitReason reason, long info1, int intrInfo) {
        state = VcpuState.IN_EXIT;
        exitReason = reason;
        exitStart = sim.now();
        exits[reason.ordinal()]++;
        if (kickEvent >= 0) {
            // the IPI lands while the CPU is already in root mode: no second exit
            sim.cancel(kickEvent);
            kickEvent = -1;
        }
        if (sim.tracing()) {
            long r = inHandler ? RIP_HANDLER + 0x10L * handlerVector : rip;
            sim.trace(new KvmExit(sim.now(), id, reason.name(), r, info1, 0, intrInfo, 0, 0));
        }
        sim.schedule(draw(Cost.VMX_EXIT), handleExitStep);
    }

    private void handleExit() {
        switch (exitReason) {
            case EPT_MISCONFIG -> handleEptMisconfig();
            case IO_INSTRUCTION -> handleIo();
            case HLT -> handleHlt();
            case MSR_WRITE, EOI_INDUCED -> {
                lapic.eoi();
                handlerEoiDone = true;
                long cost = draw(Cost.EXIT_EOI_MSR);
                if (!ioapicEoiExit(cost)) {
                    scheduleEntry(cost);
                }
            }
            case EXTERNAL_INTERRUPT, INTERRUPT_WINDOW, EPT_VIOLATION, APIC_WRITE -> prepareEntry();
        }
    }

    /**
     * Models x86.c vcpu_enter_guest's KVM_REQ_IOAPIC_EOI_EXIT check (split irqchip): when the EOI
     * just handled made lapic.c kvm_ioapic_send_eoi request it, KVM_RUN returns to userspace with
     * KVM_EXIT_IOAPIC_EOI (26) and run->eoi.vector before the next entry. Returns true when the
     * exit was taken (the entry then follows the userspace round trip).
     */
    private boolean ioapicEoiExit(long delay) {
        int vector = lapic.takePendingIoapicEoi();
        if (vector < 0) {
            return false;
        }
        pieces = 1;
        pieceNext = 0;
        pieceKind = UserspaceExitKind.IOAPIC_EOI;
        pieceAddr[0] = 0;
        pieceLen[0] = 0;
        pieceData[0] = vector;
        sim.schedule(delay, toUserspaceStep);
        return true;
    }

    /**
     * Models vmx.c handle_ept_misconfig: the FAST_MMIO bus with a len-0 key first (no decode);
     * otherwise kvm_mmu_page_fault -> x86_emulate_instruction -> emulator_read_write.
     */
    private void handleEptMisconfig() {
        GuestAction.MmioWrite w = mmio;
        ioeventfdHit = false;
        hitExtraCost = 0;
        if (fastMmioBus.write(id, w.addr(), 0, 0) == 0) {
            noteHit(fastMmioBus.lastAccepted());
            if (sim.tracing()) {
                sim.trace(new KvmFastMmio(sim.now(), id, w.addr()));
            }
            kernelOutcome(w.id(), w.expect());
            scheduleEntry(draw(Cost.EXIT_FAST_MMIO) + hitExtraCost);
            return;
        }
        long cost = draw(Cost.EXIT_MMIO) + draw(Cost.EXIT_MMIO_EMULATE);
        pieces = 0;
        pieceNext = 0;
        pieceKind = UserspaceExitKind.MMIO;
        emulatorReadWrite(w);
        if (pieces == 0) {
            kernelOutcome(w.id(), w.expect());
            scheduleEntry(cost + hitExtraCost);
        } else {
            userspaceOutcome(w.id(), w.expect());
            sim.schedule(cost, toUserspaceStep);
        }
    }

    /** Models emulator_read_write: an access crossing a page is done as two onepage calls. */
    private void emulatorReadWrite(GuestAction.MmioWrite w) {
        long addr = w.addr();
        int bytes = w.len();
        int off = 0;
        if ((((addr + bytes - 1) ^ addr) & -PAGE_SIZE) != 0) {
            int now = (int) (-addr & (PAGE_SIZE - 1));
            writeOnePage(w, addr, off, now);
            addr += now;
            off += now;
            bytes -= now;
        }
        writeOnePage(w, addr, off, bytes);
    }

    /**
     * Models emulator_read_write_onepage -> write_mmio: trace kvm_mmio, then vcpu_mmio_write;
     * what is not handled becomes an mmio fragment, cut into the <= 8-byte pieces
     * complete_emulated_mmio hands to userspace one KVM_EXIT_MMIO at a time.
     */
    private void writeOnePage(GuestAction.MmioWrite w, long gpa, int off, int bytes) {
        if (sim.tracing()) {
            sim.trace(new KvmMmio(sim.now(), id, "write", bytes, gpa, valueBytes(w, off, Math.min(8, bytes))));
        }
        int handled = vcpuMmioWrite(w, gpa, off, bytes);
        int left = bytes - handled;
        long a = gpa + handled;
        int o = off + handled;
        while (left > 0) {
            int n = Math.min(8, left);
            pieceAddr[pieces] = a;
            pieceLen[pieces] = n;
            pieceData[pieces] = valueBytes(w, o, n);
            pieces++;
            a += n;
            o += n;
            left -= n;
        }
    }

    /**
     * Models x86.c vcpu_mmio_write: chunks of min(len, 8), each to the in-kernel LAPIC first
     * (its page only), then to KVM_MMIO_BUS; stops at the first unhandled chunk. Returns the
     * bytes handled.
     */
    private int vcpuMmioWrite(GuestAction.MmioWrite w, long addr, int off, int len) {
        int handled = 0;
        while (len > 0) {
            int n = Math.min(len, 8);
            long v = valueBytes(w, off + handled, n);
            boolean done = inApicPage(addr) && lapic.mmioWrite(addr, n, v);
            if (!done) {
                if (mmioBus.write(id, addr, n, v) != 0) {
                    break;
                }
                noteHit(mmioBus.lastAccepted());
            }
            handled += n;
            addr += n;
            len -= n;
        }
        return handled;
    }

    private static boolean inApicPage(long addr) {
        return Long.compareUnsigned(addr, APIC_BASE) >= 0 && Long.compareUnsigned(addr, APIC_BASE + PAGE_SIZE) < 0;
    }

    /** Bytes {@code off .. off+n-1} of the store's little-endian value (up to 16 bytes). */
    static long valueBytes(GuestAction.MmioWrite w, int off, int n) {
        long lo = w.value();
        long hi = w.valueHigh();
        long v;
        if (off >= 8) {
            v = hi >>> ((off - 8) * 8);
        } else if (off == 0) {
            v = lo;
        } else {
            v = (lo >>> (off * 8)) | (hi << ((8 - off) * 8));
        }
        return n >= 8 ? v : v & ((1L << (n * 8)) - 1);
    }

    /**
     * Models vmx.c handle_io -> kvm_fast_pio -> emulator_pio_out: trace kvm_pio, then
     * KVM_PIO_BUS; unhandled -> KVM_EXIT_IO.
     */
    private void handleIo() {
        GuestAction.PioWrite p = pio;
        ioeventfdHit = false;
        hitExtraCost = 0;
        long cost = draw(Cost.EXIT_PIO);
        long value = p.len() == 4 ? p.value() & 0xffff_ffffL : p.value() & ((1L << (p.len() * 8)) - 1);
        if (sim.tracing()) {
            sim.trace(new KvmPio(sim.now(), id, false, p.port(), p.len(), 1, value));
        }
        if (pioBus.write(id, p.port(), p.len(), value) == 0) {
            noteHit(pioBus.lastAccepted());
            kernelOutcome(p.id(), p.expect());
            scheduleEntry(cost + hitExtraCost);
            return;
        }
        pieces = 1;
        pieceNext = 0;
        pieceKind = UserspaceExitKind.IO;
        pieceAddr[0] = p.port();
        pieceLen[0] = p.len();
        pieceData[0] = value;
        userspaceOutcome(p.id(), p.expect());
        sim.schedule(cost, toUserspaceStep);
    }

    /** Models kvm_emulate_halt -> kvm_vcpu_halt: sleep unless an interrupt is deliverable now. */
    private void handleHlt() {
        long cost = draw(Cost.EXIT_HLT);
        if (interruptFlag && lapic.pendingVector() >= 0 || activity == Activity.WAIT_IRQ && waitSatisfied) {
            scheduleEntry(cost);
            return;
        }
        sim.schedule(cost, sleepStep);
    }

    /**
     * Models x86.c vcpu_block: a runnable vCPU enters again; otherwise kvm_vcpu_halt polls for
     * the vCPU's window (the poll ends at {@link #pollEnd} unless a wake event comes first) and
     * then blocks.
     */
    private void sleep() {
        if (interruptFlag && lapic.pendingVector() >= 0) {
            prepareEntry();
            return;
        }
        state = activity == Activity.IDLE ? VcpuState.IDLE : VcpuState.HALTED;
        long window = haltPoller.begin(sim.now());
        if (window > 0 && cpus != null && cpus.othersWaiting(cpuThread)) {
            pollEnd(); // kvm_vcpu_can_poll is false at the first check: the poll ends at once
        } else if (window > 0) {
            pollEndEvent = sim.schedule(window, pollEndStep);
        } else if (cpus != null) {
            cpus.block(cpuThread);
        }
        if (activity == Activity.WAIT_UNTIL) {
            wakeEvent = sim.scheduleAt(Math.max(sim.now(), waitUntil), timerWakeStep);
        }
    }

    /** Extra cost of the current exit's datamatch compares (ioeventfd.datamatch each). */
    private long hitExtraCost;

    private void noteHit(KvmIoDevice dev) {
        if (dev.isIoeventfd()) {
            if (earliestNotify < 0) {
                earliestNotify = sim.now();
            }
            // ioeventfd_write -> eventfd_signal: part of the published absorbed-write figures
            hitExtraCost += draw(Cost.EVENTFD_SIGNAL);
        }
        if (dev.comparesData()) {
            // pci-testdev: a datamatch ioeventfd costs a compare more than a wildcard one
            hitExtraCost += draw(Cost.IOEVENTFD_DATAMATCH);
        }
    }

    private void kernelOutcome(int actionId, GuestAction.Expectation expect) {
        if (actionId >= 0) {
            ensureAction(actionId);
            actionKernel[actionId]++;
        }
        if (expect == GuestAction.Expectation.USERSPACE) {
            expectationViolations++;
        }
    }

    private void userspaceOutcome(int actionId, GuestAction.Expectation expect) {
        if (actionId >= 0) {
            ensureAction(actionId);
            actionUserspace[actionId]++;
        }
        if (expect == GuestAction.Expectation.KERNEL) {
            expectationViolations++;
        }
    }

    private void ensureAction(int actionId) {
        if (actionId >= actionKernel.length) {
            int n = Math.max(actionId + 1, actionKernel.length * 2);
            actionKernel = Arrays.copyOf(actionKernel, n);
            actionUserspace = Arrays.copyOf(actionUserspace, n);
        }
    }

    /** KVM_RUN returns to the VMM with the next piece (kvm_userspace_exit). */
    private void toUserspace() {
        state = VcpuState.IN_USERSPACE;
        userspaceExits[pieceKind.ordinal()]++;
        if (sim.tracing()) {
            sim.trace(new KvmUserspaceExit(sim.now(), id, pieceKind.kernelName(), pieceKind.code()));
        }
        int i = pieceNext++;
        long t = userspace.handleWrite(id, pieceKind, pieceAddr[i], pieceLen[i], pieceData[i]);
        sim.schedule(Math.max(0, t), userspaceReturnStep);
    }

    /** KVM_RUN again: complete_userspace_io; more pieces exit again at once, else enter. */
    private void userspaceReturn() {
        if (pieceNext < pieces) {
            toUserspace();
            return;
        }
        state = VcpuState.IN_EXIT;
        prepareEntry();
    }

    private void scheduleEntry(long delay) {
        sim.schedule(delay, prepareEntryStep);
    }

    /**
     * Models vcpu_enter_guest's kvm_check_and_inject_events: with IF=1 (and not inside a
     * handler) the highest deliverable vector is acknowledged and injected (kvm_inj_virq);
     * with IF=0 and one pending, the interrupt window is armed (no APICv).
     */
    private void prepareEntry() {
        injectVector = -1;
        long delay = draw(Cost.VMX_ENTRY);
        int v = lapic.pendingVector();
        if (v >= 0) {
            if (interruptFlag && !inHandler) {
                lapic.acknowledge(v);
                injectVector = v;
                if (!apicv) {
                    delay += draw(Cost.ENTRY_INJECT_VIRQ);
                    if (sim.tracing()) {
                        sim.trace(new KvmInjVirq(sim.now(), id, v, false, false));
                    }
                }
            } else if (!apicv) {
                irqWindow = true;
            }
        }
        sim.schedule(delay, completeEntryStep);
    }

    private void completeEntry() {
        state = VcpuState.GUEST_RUNNING;
        int v = injectVector;
        injectVector = -1;
        if (sim.tracing()) {
            long r = inHandler ? RIP_HANDLER + 0x10L * handlerVector : rip;
            sim.trace(new KvmEntry(sim.now(), id, r, v >= 0 && !apicv ? INTR_INFO_VALID | v : 0, 0, false));
        }
        exitToEntry[exitReason.ordinal()].record(sim.now() - exitStart);
        exitToEntryVcpu[exitReason.ordinal()].record(sim.now() - exitStart);
        if (guestHalting && exitReason == ExitReason.HLT) {
            // the guest leaves HLT: haltpoll_reflect(1) with the state's residency
            guestHalting = false;
            guestIdle.halted(sim.now() - guestHaltStart);
        }
        if (v >= 0) {
            startHandler(v, apicv);
        } else {
            resumeGuest();
        }
    }

    private long draw(Cost cost) {
        return env.charge(cost, rnd);
    }

    @Override
    public String toString() {
        return task.comm() + "[" + state + (interruptFlag ? ", IF=1" : ", IF=0") + "]";
    }
}
