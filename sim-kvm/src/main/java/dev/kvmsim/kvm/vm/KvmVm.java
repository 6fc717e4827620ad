package dev.kvmsim.kvm.vm;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.eventfd.KernelEnv;
import dev.kvmsim.kvm.host.UserspaceVmm;
import dev.kvmsim.kvm.iobus.CoalescedMmioDevice;
import dev.kvmsim.kvm.iobus.CoalescedMmioRing;
import dev.kvmsim.kvm.iobus.CoalescedMmioZone;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoBus;
import dev.kvmsim.kvm.ioeventfd.Ioeventfds;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.vcpu.LocalApicPort;
import dev.kvmsim.kvm.vcpu.Vcpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Models a KVM VM file descriptor (virt/kvm/kvm_main.c kvm_vm_ioctl): the ioctl-shaped facade.
 * Each ioctl validates like the kernel and returns an {@link IoctlResult}; kernel errors are
 * results, never exceptions.
 *
 * <p>Caveats: single simulation thread. Sections below belong to the helpers that implement
 * them (vCPUs, buses, ioeventfd and coalesced MMIO; irqchip and routing; irqfd).
 */
public final class KvmVm {
    private final Simulation sim;
    private final KernelEnv env;
    private final FdTable fds;
    private final VmOptions options;
    private final KvmIoBus[] buses = new KvmIoBus[KvmBus.values().length];
    private final CoalescedMmioRing coalescedRing = new CoalescedMmioRing();
    private final List<CoalescedMmioDevice> coalescedZones = new ArrayList<>();
    private final Ioeventfds ioeventfds;
    private final UserspaceVmm vmm;
    private final List<Vcpu> vcpus = new ArrayList<>();
    private Function<Vcpu, LocalApicPort> lapicFactory = v -> LocalApicPort.NONE;

    /** A VM with its own kernel environment and descriptor table. */
    public KvmVm(Simulation sim, CostModel costs, VmOptions options) {
        this(new FdTable(new KernelEnv(sim, costs)), options);
    }

    /** A VM sharing {@code fds} (and its kernel environment) with the rest of the host. */
    public KvmVm(FdTable fds, VmOptions options) {
        this.fds = fds;
        this.env = fds.env();
        this.sim = env.sim();
        this.options = options;
        for (KvmBus b : KvmBus.values()) {
            buses[b.index()] = new KvmIoBus(b, sim);
        }
        this.ioeventfds = new Ioeventfds(fds, buses);
        this.vmm = new UserspaceVmm(env, coalescedRing);
    }

    public Simulation sim() { return sim; }

    public KernelEnv env() { return env; }

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
        vcpus.add(v);
        return IoctlResult.ofValue(id);
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
     * zone of the same kind lying wholly inside the given range is removed; always 0 otherwise.
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
    // KVM_CHECK_EXTENSION (each helper adds its capabilities)
    // =====================================================================================

    /** Models kvm_vm_ioctl_check_extension_generic / kvm_vm_ioctl_check_extension (x86). */
    public IoctlResult checkExtension(int cap) {
        return switch (cap) {
            case KvmCap.KVM_CAP_IOEVENTFD, KvmCap.KVM_CAP_IOEVENTFD_ANY_LENGTH, KvmCap.KVM_CAP_IOEVENTFD_NO_LENGTH,
                    KvmCap.KVM_CAP_COALESCED_PIO -> IoctlResult.ofValue(1);
            case KvmCap.KVM_CAP_COALESCED_MMIO -> IoctlResult.ofValue(KvmCap.KVM_COALESCED_MMIO_PAGE_OFFSET);
            default -> IoctlResult.OK;
        };
    }
}
