package dev.kvmsim.kvm.vm;

import dev.kvmsim.core.Distribution;
import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.haltpoll.HaltPollControl;
import dev.kvmsim.kvm.haltpoll.HaltPollParams;
import dev.kvmsim.kvm.host.HostThread;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.host.UserspaceVmm;
import dev.kvmsim.kvm.iobus.CoalescedMmioDevice;
import dev.kvmsim.kvm.iobus.CoalescedMmioRing;
import dev.kvmsim.kvm.iobus.CoalescedMmioZone;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoBus;
import dev.kvmsim.kvm.ioeventfd.Ioeventfds;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.irq.GuestState;
import dev.kvmsim.kvm.irq.IrqLineStatus;
import dev.kvmsim.kvm.irq.KvmIrqchip;
import dev.kvmsim.kvm.irq.RoutingEntry;
import dev.kvmsim.kvm.irqchip.Ioapic;
import dev.kvmsim.kvm.irqchip.LocalApic;
import dev.kvmsim.kvm.irqchip.PicDevice;
import dev.kvmsim.kvm.irqfd.Irqfds;
import dev.kvmsim.kvm.irqfd.KvmIrqfd;
import dev.kvmsim.kvm.vcpu.ActionCounts;
import dev.kvmsim.kvm.vcpu.ExitReason;
import dev.kvmsim.kvm.vcpu.GuestAction;
import dev.kvmsim.kvm.vcpu.LocalApicPort;
import dev.kvmsim.kvm.vcpu.Vcpu;
import dev.kvmsim.kvm.workqueue.Workqueue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Models a KVM VM file descriptor (virt/kvm/kvm_main.c kvm_vm_ioctl): the ioctl-shaped facade.
 * Each ioctl validates like the kernel and returns an {@link IoctlResult}; kernel errors are
 * results, never exceptions.
 *
 * <p>This is the one door from outside {@code sim-kvm} into the VM: a VMM (the scenario runner)
 * uses the ioctls and the queries of the last section, never the vCPUs, buses, irqchip or
 * kernel environment themselves (the getters that return those serve sim-kvm's own tests;
 * {@code RunnerUsesTheVmFacadeTest} in {@code scenarios} keeps the runner off them). The host
 * process's descriptor table ({@link #fds()}: eventfd2, read, write, close) is the syscall
 * side beside the ioctls.
 *
 * <p>Caveats: single simulation thread. Sections below belong to the helpers that implement
 * them (vCPUs, buses, ioeventfd and coalesced MMIO; irqchip and routing; irqfd).
 */
public final class KvmVm {
    private final Simulation sim;
    private final Kernel env;
    private final FdTable fds;
    private final VmOptions options;
    private final KvmIoBus[] buses = new KvmIoBus[KvmBus.values().length];
    private final CoalescedMmioRing coalescedRing = new CoalescedMmioRing();
    private final List<CoalescedMmioDevice> coalescedZones = new ArrayList<>();
    private final Ioeventfds ioeventfds;
    private final UserspaceVmm vmm;
    private final List<Vcpu> vcpus = new ArrayList<>();
    private Function<Vcpu, LocalApicPort> lapicFactory = v -> LocalApicPort.NONE;
    /** The halt-polling module parameters and this VM's KVM_CAP_HALT_POLL override. */
    private final HaltPollControl haltPoll = new HaltPollControl(HaltPollParams.kernelDefaults());

    /** A VM with its own kernel context and descriptor table. */
    public KvmVm(Simulation sim, CostModel costs, VmOptions options) {
        this(new FdTable(new Kernel(sim, costs)), options);
    }

    /** A VM sharing {@code fds} (and its kernel context) with the rest of the host. */
    public KvmVm(FdTable fds, VmOptions options) {
        this.fds = fds;
        this.env = fds.kernel();
        this.sim = env.sim();
        this.options = options;
        for (KvmBus b : KvmBus.values()) {
            buses[b.index()] = new KvmIoBus(b, sim);
        }
        this.ioeventfds = new Ioeventfds(fds, buses);
        this.vmm = new UserspaceVmm(env, coalescedRing);
    }

    public Simulation sim() { return sim; }

    /** The VM's kernel context (clock, costs, random streams, current task). */
    public Kernel kernel() { return env; }

    public FdTable fds() { return fds; }

    public VmOptions options() { return options; }

    // =====================================================================================
    // vCPUs and buses (iobus helper)
    // =====================================================================================

    /**
     * KVM_CREATE_VCPU with the next id: -EINVAL beyond KVM_MAX_VCPUS. The vCPU gets its LAPIC
     * from the irqchip (if one was created) and is started at once: it runs its program (set
     * with {@link Vcpu#setProgram} before the simulation reaches the start) or idles.
     */
    public IoctlResult createVcpu() {
        if (vcpus.size() >= VmOptions.KVM_MAX_VCPUS) {
            return IoctlResult.error(Errno.EINVAL);
        }
        int id = vcpus.size();
        Vcpu v = new Vcpu(id, env, buses[KvmBus.MMIO.index()], buses[KvmBus.PIO.index()],
                buses[KvmBus.FAST_MMIO.index()], vmm, options.apicv());
        v.attachLocalApic(lapicFactory.apply(v));
        v.attachHaltPoll(haltPoll);
        vcpus.add(v);
        return IoctlResult.ofValue(id);
    }

    /**
     * The halt-polling control of this VM: the kvm module parameters ({@code halt_poll_ns},
     * {@code halt_poll_ns_grow}, {@code halt_poll_ns_grow_start}, {@code halt_poll_ns_shrink};
     * the kernel's defaults unless set) and the KVM_CAP_HALT_POLL override.
     */
    public HaltPollControl haltPoll() { return haltPoll; }

    /**
     * Models KVM_ENABLE_CAP(KVM_CAP_HALT_POLL) (virt/kvm/kvm_main.c kvm_vm_ioctl_enable_cap_generic):
     * flags other than 0 or an {@code args[0]} wider than an unsigned int is -EINVAL; else this
     * VM's vCPUs poll at most {@code args[0]} ns from their next halt on, whatever the module's
     * {@code halt_poll_ns} says.
     */
    public IoctlResult enableHaltPoll(long flags, long maxHaltPollNs) {
        return IoctlResult.ofKernel(haltPoll.enableCap(flags, maxHaltPollNs));
    }

    /** Creates vCPUs until there are {@code options.vcpus()}. */
    public void createVcpus() {
        while (vcpus.size() < options.vcpus()) {
            createVcpu();
        }
    }

    /** Starts every vCPU (at the current simulated time). */
    public void startVcpus() {
        for (Vcpu v : vcpus) {
            v.start();
        }
    }

    public Vcpu vcpu(int i) { return vcpus.get(i); }

    public List<Vcpu> vcpus() { return Collections.unmodifiableList(vcpus); }

    public KvmIoBus bus(KvmBus kind) { return buses[kind.index()]; }

    /** The userspace VMM that handles KVM_EXIT_MMIO / KVM_EXIT_IO and its statistics. */
    public UserspaceVmm userspaceVmm() { return vmm; }

    /**
     * How vCPUs get their local APIC: set by the irqchip when KVM_CREATE_IRQCHIP (or the split
     * irqchip) makes the LAPIC in-kernel; vCPUs created before keep {@link LocalApicPort#NONE}.
     */
    public void setLapicFactory(Function<Vcpu, LocalApicPort> factory) {
        this.lapicFactory = factory;
    }

    // =====================================================================================
    // KVM_IOEVENTFD (iobus helper)
    // =====================================================================================

    /** Models KVM_IOEVENTFD (kvm_ioeventfd): assign or, with FLAG_DEASSIGN, deassign. */
    public IoctlResult ioeventfd(KvmIoeventfd args) {
        return IoctlResult.ofKernel(ioeventfds.kvmIoeventfd(args));
    }

    /** {@code kvm->ioeventfds}. */
    public Ioeventfds ioeventfds() { return ioeventfds; }

    // =====================================================================================
    // KVM_(UN)REGISTER_COALESCED_MMIO (iobus helper)
    // =====================================================================================

    /**
     * Models kvm_vm_ioctl_register_coalesced_mmio: {@code pio} other than 0/1 -> -EINVAL; the zone
     * goes on the PIO bus (pio 1) or the MMIO bus and counts against NR_IOBUS_DEVS (-ENOSPC).
     */
    public IoctlResult registerCoalescedMmio(CoalescedMmioZone zone) {
        if (zone.pio() != 1 && zone.pio() != 0) {
            return IoctlResult.error(Errno.EINVAL);
        }
        CoalescedMmioDevice dev = new CoalescedMmioDevice(zone, coalescedRing);
        int ret = buses[(zone.pio() == 1 ? KvmBus.PIO : KvmBus.MMIO).index()].register(zone.addr(), zone.size(), dev);
        if (ret < 0) {
            return IoctlResult.ofKernel(ret);
        }
        coalescedZones.add(dev);
        return IoctlResult.OK;
    }

    /**
     * Models kvm_vm_ioctl_unregister_coalesced_mmio: {@code pio} other than 0/1 -> -EINVAL; every
     * zone of the same kind that wholly contains the given range (coalesced_mmio_in_range(dev,
     * zone->addr, zone->size)) is removed; always 0 otherwise.
     */
    public IoctlResult unregisterCoalescedMmio(CoalescedMmioZone zone) {
        if (zone.pio() != 1 && zone.pio() != 0) {
            return IoctlResult.error(Errno.EINVAL);
        }
        KvmIoBus bus = buses[(zone.pio() == 1 ? KvmBus.PIO : KvmBus.MMIO).index()];
        coalescedZones.removeIf(dev -> {
            if (dev.zone().pio() == zone.pio() && dev.inRange(zone.addr(), zone.size())) {
                bus.unregister(dev);
                return true;
            }
            return false;
        });
        return IoctlResult.OK;
    }

    /** The per-VM coalesced MMIO ring. */
    public CoalescedMmioRing coalescedRing() { return coalescedRing; }

    // =====================================================================================
    // In-kernel irqchip and GSI routing (irq helper)
    // =====================================================================================

    private KvmIrqchip irqchip;

    /** The VM's routing and interrupt controllers (created empty: no irqchip until an ioctl makes one). */
    public KvmIrqchip irqchip() {
        if (irqchip == null) {
            irqchip = new KvmIrqchip(env);
        }
        return irqchip;
    }

    /**
     * Models KVM_CREATE_IRQCHIP (kvm_arch_vm_ioctl): -EEXIST if an irqchip exists, -EINVAL once
     * vCPUs were created; else the PIC goes on the PIO bus (0x20/2, 0xA0/2, 0x4D0/2), the IOAPIC
     * on the MMIO bus (0xFEC00000/0x100), the default routing is installed and later vCPUs get
     * an in-kernel LAPIC. A bus registration failure undoes everything and is returned.
     */
    public IoctlResult createIrqchip() {
        KvmIrqchip chip = irqchip();
        int r = chip.createIrqchip(vcpus.size());
        if (r < 0) {
            return IoctlResult.error(Errno.fromNeg(r));
        }
        KvmIoBus pio = buses[KvmBus.PIO.index()];
        KvmIoBus mmio = buses[KvmBus.MMIO.index()];
        List<PicDevice> done = new ArrayList<>(3);
        for (PicDevice d : List.of(chip.pic().master(), chip.pic().slave(), chip.pic().elcr())) {
            r = pio.register(d.base(), d.length(), d);
            if (r < 0) {
                break;
            }
            done.add(d);
        }
        if (r >= 0) {
            r = mmio.register(Ioapic.IOAPIC_DEFAULT_BASE_ADDRESS, Ioapic.IOAPIC_MEM_LENGTH, chip.ioapic());
        }
        if (r < 0) {
            for (int i = done.size() - 1; i >= 0; i--) {
                pio.unregister(done.get(i));
            }
            chip.destroyIrqchip();
            return IoctlResult.ofKernel(r);
        }
        lapicFactory = this::createLapic;
        return IoctlResult.OK;
    }

    /**
     * Models KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP): {@code nrReservedIoapicPins} (u64) above 4096
     * -EINVAL; an irqchip or created vCPUs -EEXIST. Later vCPUs get an in-kernel LAPIC; the
     * routing stays empty until KVM_SET_GSI_ROUTING installs MSI routes.
     */
    public IoctlResult enableSplitIrqchip(long nrReservedIoapicPins) {
        int r = irqchip().enableSplitIrqchip(nrReservedIoapicPins, vcpus.size());
        if (r < 0) {
            return IoctlResult.ofKernel(r);
        }
        lapicFactory = this::createLapic;
        return IoctlResult.OK;
    }

    /** Models kvm_create_lapic for a vCPU: wired to its kick and posted-interrupt paths. */
    private LocalApicPort createLapic(Vcpu v) {
        LocalApic apic = irqchip.createLapic(v.id());
        apic.attachVcpu(v::kick, v::postedInterrupt);
        apic.setApicvActive(v.apicv());
        return apic;
    }

    /** Models KVM_SET_GSI_ROUTING; on error the previous table stays in force. */
    public IoctlResult setGsiRouting(List<RoutingEntry> entries, int flags) {
        return IoctlResult.ofKernel(irqchip().setGsiRouting(entries, flags));
    }

    /**
     * Models KVM_IRQ_LINE_STATUS: ENXIO without an in-kernel irqchip, else the status kvm_set_irq
     * returned (&lt;0 not delivered, 0 coalesced, &gt;0 CPUs reached).
     */
    public IrqLineStatus irqLine(int irq, int level) {
        return irqchip().irqLine(irq, level);
    }

    /**
     * Models KVM_SIGNAL_MSI: the number of CPUs reached; EINVAL without an irqchip or with flags
     * other than KVM_MSI_VALID_DEVID; a slow-path miss is EPERM.
     */
    public IoctlResult signalMsi(int addressLo, int addressHi, int data, int flags, int devid) {
        return IoctlResult.ofKernel(irqchip().signalMsi(addressLo, addressHi, data, flags, devid));
    }

    /**
     * Models KVM_ENABLE_CAP(KVM_CAP_X2APIC_API): flags outside USE_32BIT_IDS | DISABLE_BROADCAST_QUIRK
     * -EINVAL; USE_32BIT_IDS turns on the x2APIC MSI format (address_hi 31:8 extend the
     * destination, address_hi 7:0 must be 0). The broadcast quirk only matters for x2APIC-mode
     * APICs, which are not modelled.
     */
    public IoctlResult enableX2apicApi(long flags) {
        if ((flags & ~(long) KvmCap.KVM_X2APIC_API_VALID_FLAGS) != 0) {
            return IoctlResult.error(Errno.EINVAL);
        }
        if ((flags & 1) != 0) {
            irqchip().setX2apicFormat(true);
        }
        return IoctlResult.OK;
    }

    /** docs/scenarios.md vm.guest_state: how the guest left its interrupt controllers (booted or reset). */
    public void setGuestState(GuestState state) {
        irqchip().setGuestState(state);
    }

    // =====================================================================================
    // KVM_IRQFD (prims helper)
    // =====================================================================================

    private Workqueue systemWq;
    private Irqfds irqfds;

    /** The system workqueue ({@code events}) the VM's irqfds queue their inject work on. */
    public Workqueue systemWorkqueue() {
        if (systemWq == null) {
            systemWq = Workqueue.system(env);
        }
        return systemWq;
    }

    /** {@code kvm->irqfds}: the VM's irqfds and resamplers. */
    public Irqfds irqfds() {
        if (irqfds == null) {
            irqfds = new Irqfds(env, fds, irqchip(), systemWorkqueue(), Workqueue.ordered(env, "kvm-irqfd-cleanup"));
        }
        return irqfds;
    }

    /**
     * Models KVM_IRQFD (kvm_irqfd): unknown flags -EINVAL; DEASSIGN (before RESAMPLE) removes
     * every irqfd of that eventfd and GSI (0 even if none); assign checks the irqchip
     * (-EINVAL), fd and resamplefd (-EBADF / -EINVAL) and an eventfd already bound to an irqfd
     * (-EBUSY).
     */
    public IoctlResult kvmIrqfd(int fd, int gsi, int flags, int resamplefd) {
        return IoctlResult.ofKernel(irqfds().kvmIrqfd(new KvmIrqfd(fd, gsi, flags, resamplefd)));
    }

    /** KVM_IRQFD; {@code flushed} runs when a deassignment's flush of the cleanup workqueue is done. */
    public IoctlResult kvmIrqfd(KvmIrqfd args, Runnable flushed) {
        return IoctlResult.ofKernel(irqfds().kvmIrqfd(args, flushed));
    }

    // =====================================================================================
    // KVM_CHECK_EXTENSION (each helper adds its capabilities)
    // =====================================================================================

    /** Models kvm_vm_ioctl_check_extension_generic / kvm_vm_ioctl_check_extension (x86). */
    public IoctlResult checkExtension(int cap) {
        return switch (cap) {
            case KvmCap.KVM_CAP_IOEVENTFD, KvmCap.KVM_CAP_IOEVENTFD_ANY_LENGTH, KvmCap.KVM_CAP_IOEVENTFD_NO_LENGTH,
                    KvmCap.KVM_CAP_COALESCED_PIO, KvmCap.KVM_CAP_IRQFD, KvmCap.KVM_CAP_IRQFD_RESAMPLE,
                    KvmCap.KVM_CAP_HALT_POLL -> IoctlResult.ofValue(1);
            case KvmCap.KVM_CAP_COALESCED_MMIO -> IoctlResult.ofValue(KvmCap.KVM_COALESCED_MMIO_PAGE_OFFSET);
            case KvmCap.KVM_CAP_IRQCHIP, KvmCap.KVM_CAP_IRQ_INJECT_STATUS, KvmCap.KVM_CAP_SIGNAL_MSI,
                    KvmCap.KVM_CAP_SPLIT_IRQCHIP -> IoctlResult.ofValue(1);
            case KvmCap.KVM_CAP_IRQ_ROUTING -> IoctlResult.ofValue(dev.kvmsim.kvm.irq.IrqRoutingTable.KVM_MAX_IRQ_ROUTES);
            case KvmCap.KVM_CAP_X2APIC_API -> IoctlResult.ofValue(KvmCap.KVM_X2APIC_API_VALID_FLAGS);
            default -> IoctlResult.OK;
        };
    }

    // =====================================================================================
    // The VMM's view: what a userspace VMM (the scenario runner) does and reads through the
    // VM, so that it never holds a vCPU, the kernel environment or the VMM model itself.
    // =====================================================================================

    /** How many vCPUs have been created. */
    public int vcpuCount() { return vcpus.size(); }

    /** The guest program vCPU {@code vcpu} runs once started ({@link #startVcpus}); set before the start. */
    public void setGuestProgram(int vcpu, List<GuestAction> program) {
        vcpus.get(vcpu).setProgram(program);
    }

    /** Interrupts vCPU {@code vcpu} took on {@code vector}, or on every vector when {@code vector < 0}. */
    public long delivered(int vcpu, int vector) {
        Vcpu v = vcpus.get(vcpu);
        return vector < 0 ? v.deliveredTotal() : v.delivered(vector);
    }

    /** Exits of vCPU {@code vcpu} with {@code reason}. */
    public long exits(int vcpu, ExitReason reason) {
        return vcpus.get(vcpu).exits(reason);
    }

    /** vCPU {@code vcpu}'s halt-polling statistics (virt/kvm/kvm_main.c kvm_vcpu_stat_generic). */
    public dev.kvmsim.kvm.haltpoll.HaltPollStats haltPollStats(int vcpu) {
        return vcpus.get(vcpu).haltPoller().stats();
    }

    /**
     * vCPU {@code vcpu}'s guest idles through the haltpoll cpuidle governor with {@code params};
     * the guest's driver turns host halt polling off for that vCPU (MSR_KVM_POLL_CONTROL = 0).
     */
    public void enableGuestHaltPoll(int vcpu, dev.kvmsim.kvm.haltpoll.GuestHaltPollParams params) {
        vcpus.get(vcpu).enableGuestHaltPoll(params);
    }

    /** vCPU {@code vcpu}'s guest haltpoll governor, or null when its guest halts at once. */
    public dev.kvmsim.kvm.haltpoll.GuestHaltPollGovernor guestHaltPoll(int vcpu) {
        return vcpus.get(vcpu).guestHaltPoll();
    }

    /** vCPU {@code vcpu}'s thread competes for the host's CPUs of {@code allowed} (dev.kvmsim.kvm.sched.HostCpus). */
    public void attachCpus(int vcpu, dev.kvmsim.kvm.sched.HostCpus cpus, long allowed) {
        vcpus.get(vcpu).attachCpus(cpus, allowed);
    }

    /** vCPU {@code vcpu}'s halt-polling window now ({@code vcpu->halt_poll_ns}). */
    public long haltPollNs(int vcpu) {
        return vcpus.get(vcpu).haltPoller().haltPollNs();
    }

    /** Where the executions of guest action {@code actionId} of vCPU {@code vcpu}'s program were handled. */
    public ActionCounts actionCounts(int vcpu, int actionId) {
        return vcpus.get(vcpu).actionCounts(actionId);
    }

    /** How many times KVM_RUN returned to userspace, by exit (kind, address, length, data); a copy. */
    public Map<UserspaceVmm.ExitKey, Long> userspaceExitCounts() {
        return Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vmm.exitCounts()));
    }

    /**
     * A host thread of the VMM (a vhost worker or an iothread) on {@code cpu} that waits on the
     * eventfd {@code waitFd}, services each request for a draw of {@code service}, then signals
     * {@code signalFd} ({@code -1}: none). Both descriptors must be open eventfds.
     */
    public HostThread createHostThread(String name, HostThread.Kind kind, int waitFd, Distribution service, int signalFd, int cpu) {
        return new HostThread(env, name, kind, fds.eventfd(waitFd), service, signalFd < 0 ? null : fds.eventfd(signalFd), cpu);
    }

    /** Runs {@code ioctls} as the VMM's own thread, then restores the current task. */
    public void runAsVmm(Runnable ioctls) {
        try (Kernel.Switch s = env.switchTo(env.vmm())) {
            ioctls.run();
        }
    }
}
