package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irqchip.Apic.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.irqchip.Ioapic;
import dev.kvmsim.kvm.irqchip.IoapicEoiHandler;
import dev.kvmsim.kvm.irqchip.IrqchipHost;
import dev.kvmsim.kvm.irqchip.LapicDelivery;
import dev.kvmsim.kvm.irqchip.LapicIrq;
import dev.kvmsim.kvm.irqchip.LocalApic;
import dev.kvmsim.kvm.irqchip.Pic;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.trace.KvmAckIrq;
import dev.kvmsim.kvm.trace.KvmMsiSetIrq;
import dev.kvmsim.kvm.trace.KvmSetIrq;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A VM's interrupt routing and in-kernel irqchip: the GSI routing table (virt/kvm/irqchip.c),
 * the IOAPIC and PIC (KVM_CREATE_IRQCHIP) or none of them (split irqchip), the local APICs,
 * ack notifiers and the ioctls KVM_CREATE_IRQCHIP, KVM_CAP_SPLIT_IRQCHIP, KVM_SET_GSI_ROUTING,
 * KVM_IRQ_LINE(_STATUS) and KVM_SIGNAL_MSI (arch/x86/kvm/x86.c, irq.c).
 *
 * <p>The API irqfd uses: {@link #kvmIrqMapGsi}, {@link #kvmSetIrq}, {@link #kvmArchSetIrqInatomic},
 * {@link #registerAckNotifier}, {@link #addRoutingListener}, {@link #setResamplerNotifier}.
 *
 * <p>Caveats: single simulation thread. The routing table is immutable and replaced whole (RCU
 * publish); listeners run right after publication. Registering the PIC and IOAPIC on the io
 * buses is left to the facade, which owns the buses.
 */
public final class KvmIrqchip implements IrqchipHost {
    /** MAX_NR_RESERVED_IOAPIC_PINS = KVM_MAX_IRQ_ROUTES. */
    public static final long MAX_NR_RESERVED_IOAPIC_PINS = IrqRoutingTable.KVM_MAX_IRQ_ROUTES;

    private static final IrqAckNotifier[] NO_NOTIFIERS = new IrqAckNotifier[0];

    private final Simulation sim;
    private final Kernel kernel;
    private final LapicDelivery delivery;
    private final List<RoutingListener> routingListeners = new ArrayList<>();
    private IrqchipMode mode = IrqchipMode.NONE;
    private Ioapic ioapic;
    private Pic pic;
    private IrqRoutingTable routing = IrqRoutingTable.initial();
    private IrqAckNotifier[] ackNotifiers = NO_NOTIFIERS;
    private ResamplerNotifier resamplerNotifier = gsi -> false;
    private long nrReservedIoapicPins;
    private boolean x2apicFormat;
    private GuestState guestState = GuestState.RESET;
    private final IoapicEoiHandler fullEoi = new IoapicEoiHandler() {
        @Override public boolean handlesVector(LocalApic apic, int vector) { return ioapic.handlesVector(apic, vector); }
        @Override public void sendEoi(LocalApic apic, int vector, boolean level) { ioapic.updateEoi(apic, vector, level); }
    };
    private final IoapicEoiHandler splitEoi = new IoapicEoiHandler() {
        @Override public boolean handlesVector(LocalApic apic, int vector) { return scanIoapicRoutes(apic, vector); }
        @Override public void sendEoi(LocalApic apic, int vector, boolean level) { apic.requestIoapicEoiExit(vector); }
    };

    public KvmIrqchip(Kernel kernel) {
        this.sim = kernel.sim();
        this.kernel = kernel;
        this.delivery = new LapicDelivery(kernel);
    }

    // ---- accessors ----

    public IrqchipMode mode() { return mode; }

    /** irqchip_in_kernel: full or split. */
    public boolean inKernel() { return mode != IrqchipMode.NONE; }

    /** The IOAPIC (full irqchip only), else null. */
    public Ioapic ioapic() { return ioapic; }

    /** The PIC (full irqchip only), else null. */
    public Pic pic() { return pic; }

    public LapicDelivery delivery() { return delivery; }

    public List<LocalApic> lapics() { return delivery.apics(); }

    /** The routing table in force. */
    public IrqRoutingTable routing() { return routing; }

    public long nrReservedIoapicPins() { return nrReservedIoapicPins; }

    public boolean x2apicFormat() { return x2apicFormat; }

    /** KVM_CAP_X2APIC_API with KVM_X2APIC_API_USE_32BIT_IDS: MSI address_hi 31:8 extend the destination. */
    public void setX2apicFormat(boolean on) { this.x2apicFormat = on; }

    // ---- ioctls ----

    /**
     * Models KVM_CREATE_IRQCHIP: -EEXIST if an irqchip exists, -EINVAL if vCPUs were created;
     * else PIC and IOAPIC are created and the default routing installed (GSI 0-15 to the IOAPIC
     * pin and the PIC, 16-23 to the IOAPIC).
     */
    public int createIrqchip(int createdVcpus) {
        if (inKernel()) {
            return Errno.EEXIST.neg();
        }
        if (createdVcpus != 0) {
            return Errno.EINVAL.neg();
        }
        pic = new Pic(kernel, delivery, this);
        ioapic = new Ioapic(kernel, delivery, this);
        // Write the routing before irqchip_in_kernel becomes true.
        int r = setIrqRouting(defaultRouting());
        if (r != 0) {
            throw new IllegalStateException("default routing rejected: " + r);
        }
        mode = IrqchipMode.KERNEL;
        applyGuestState();
        return 0;
    }

    /**
     * Undoes {@link #createIrqchip} when registering its devices on the buses failed
     * (kvm_pic_destroy / kvm_ioapic_destroy): no irqchip, the initial empty routing.
     */
    public void destroyIrqchip() {
        if (ioapic != null) {
            ioapic.reset();
        }
        pic = null;
        ioapic = null;
        routing = IrqRoutingTable.initial();
        mode = IrqchipMode.NONE;
    }

    /** Models kvm_setup_default_ioapic_and_pic_routing's table: IOAPIC then PIC for GSI 0-15, IOAPIC for 16-23. */
    public static List<RoutingEntry> defaultRouting() {
        List<RoutingEntry> r = new ArrayList<>(40);
        for (int gsi = 0; gsi < KVM_IOAPIC_NUM_PINS; gsi++) {
            r.add(new IrqchipRoute(gsi, KVM_IRQCHIP_IOAPIC, gsi));
            if (gsi < PIC_NUM_PINS) {
                r.add(new IrqchipRoute(gsi, selectPic(gsi), gsi % 8));
            }
        }
        return r;
    }

    /**
     * Models KVM_ENABLE_CAP KVM_CAP_SPLIT_IRQCHIP: args[0] (u64) above 4096 → -EINVAL; an irqchip
     * or created vCPUs → -EEXIST. The routing table stays as it is (empty).
     */
    public int enableSplitIrqchip(long nrReservedPins, int createdVcpus) {
        if (Long.compareUnsigned(nrReservedPins, MAX_NR_RESERVED_IOAPIC_PINS) > 0) {
            return Errno.EINVAL.neg();
        }
        if (inKernel() || createdVcpus != 0) {
            return Errno.EEXIST.neg();
        }
        mode = IrqchipMode.SPLIT;
        nrReservedIoapicPins = nrReservedPins;
        return 0;
    }

    /**
     * Models KVM_SET_GSI_ROUTING (kvm_main.c): no in-kernel irqchip → -EINVAL; more than 4096
     * entries → -EINVAL; flags != 0 → -EINVAL; then kvm_set_irq_routing. On error the old table
     * stays in force.
     */
    public int setGsiRouting(List<RoutingEntry> entries, int flags) {
        if (!inKernel()) {
            return Errno.EINVAL.neg();
        }
        if (entries.size() > IrqRoutingTable.KVM_MAX_IRQ_ROUTES) {
            return Errno.EINVAL.neg();
        }
        if (flags != 0) {
            return Errno.EINVAL.neg();
        }
        return setIrqRouting(entries);
    }

    /** Models kvm_set_irq_routing: build, publish, kvm_irq_routing_update (listeners). */
    private int setIrqRouting(List<RoutingEntry> entries) {
        int[] err = new int[1];
        IrqRoutingTable table = IrqRoutingTable.build(entries, mode == IrqchipMode.SPLIT, x2apicFormat, err);
        if (table == null) {
            return err[0];
        }
        routing = table;
        for (RoutingListener l : routingListeners.toArray(new RoutingListener[0])) {
            l.routingUpdated();
        }
        return 0;
    }

    /**
     * Models kvm_vm_ioctl_irq_line (KVM_IRQ_LINE / KVM_IRQ_LINE_STATUS): -ENXIO without an
     * in-kernel irqchip; else kvm_set_irq from the userspace source with line_status.
     */
    public IrqLineStatus irqLine(int irq, int level) {
        if (!inKernel()) {
            return IrqLineStatus.failed(Errno.ENXIO);
        }
        return IrqLineStatus.of(kvmSetIrq(IrqSourceIds.KVM_USERSPACE_IRQ_SOURCE_ID, irq, level, true));
    }

    /**
     * Models kvm_send_userspace_msi (KVM_SIGNAL_MSI): no in-kernel irqchip or flags other than
     * KVM_MSI_VALID_DEVID → -EINVAL; else kvm_set_msi. The result goes to userspace as is: the
     * delivery count, or a negative errno (a slow-path miss, -1, is EPERM).
     */
    public int signalMsi(int addressLo, int addressHi, int data, int flags, int devid) {
        if (!inKernel() || (flags & ~RoutingEntry.KVM_MSI_VALID_DEVID) != 0) {
            return Errno.EINVAL.neg();
        }
        return kvmSetMsi(addressLo, addressHi, data, 1);
    }

    // ---- vCPUs ----

    /** Models kvm_create_lapic for a new vCPU (in-kernel irqchip, full or split); null without one. */
    public LocalApic createLapic(int vcpuId) {
        if (!inKernel()) {
            return null;
        }
        LocalApic apic = delivery.createLapic(vcpuId);
        wireLapic(apic);
        if (guestState == GuestState.BOOTED) {
            apic.setBooted();
        }
        return apic;
    }

    private void wireLapic(LocalApic apic) {
        if (mode == IrqchipMode.KERNEL) {
            apic.connect(pic, fullEoi);
        } else {
            apic.connect(null, splitEoi);
        }
    }

    /** Sets the guest_state of docs/scenarios.md and applies it to the controllers that exist now and later. */
    public void setGuestState(GuestState state) {
        this.guestState = state;
        applyGuestState();
    }

    public GuestState guestState() { return guestState; }

    private void applyGuestState() {
        if (guestState != GuestState.BOOTED) {
            return;
        }
        for (LocalApic apic : delivery.apics()) {
            apic.setBooted();
        }
        if (pic != null) {
            pic.maskAll();
        }
    }

    // ---- the routing API (virt/kvm/irqchip.c) ----

    /** Models kvm_irq_map_gsi: the GSI's entries in list order (a copy); empty past nr_rt_entries. */
    public RoutingEntry[] kvmIrqMapGsi(int gsi) {
        return routing.entries(gsi).clone();
    }

    /** kvm_irq_map_gsi into {@code out} (at least 3 long); returns the count. */
    public int kvmIrqMapGsi(int gsi, RoutingEntry[] out) {
        RoutingEntry[] es = routing.entries(gsi);
        System.arraycopy(es, 0, out, 0, es.length);
        return es.length;
    }

    /** Models kvm_irq_map_chip_pin. */
    public int kvmIrqMapChipPin(int irqchip, int pin) {
        return routing.chipPin(irqchip, pin);
    }

    /**
     * Models kvm_set_irq: trace kvm_set_irq, then each of the GSI's entries from the last copied
     * to the first; r &lt; 0 is skipped, else ret = r + max(ret, 0). Returns -1 (nothing delivered),
     * 0 (coalesced) or the number of CPUs reached.
     */
    public int kvmSetIrq(int irqSourceId, int gsi, int level, boolean lineStatus) {
        if (sim.tracing()) {
            sim.trace(new KvmSetIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(), gsi, level, irqSourceId));
        }
        RoutingEntry[] es = routing.entries(gsi);
        int ret = -1;
        for (int i = es.length - 1; i >= 0; i--) {
            int r = set(es[i], irqSourceId, level, lineStatus);
            if (r < 0) {
                continue;
            }
            ret = r + (ret < 0 ? 0 : ret);
        }
        return ret;
    }

    /** A routing entry's {@code set} handler: kvm_pic_set_irq, kvm_ioapic_set_irq or kvm_set_msi. */
    public int set(RoutingEntry e, int irqSourceId, int level, boolean lineStatus) {
        switch (e.kind()) {
            case IRQCHIP: {
                IrqchipRoute r = (IrqchipRoute) e;
                if (r.irqchip() == KVM_IRQCHIP_IOAPIC) {
                    return ioapic.setIrq(r.pin(), irqSourceId, level, lineStatus);
                }
                return pic.setIrq(r.pin(), irqSourceId, level);
            }
            case MSI: {
                MsiRoute m = (MsiRoute) e;
                return kvmSetMsi(m.addressLo(), m.addressHi(), m.data(), level);
            }
            case RAW:
            default:
                return -1;
        }
    }

    /** Models kvm_set_msi: invalid x2APIC route → -EINVAL; level 0 → -1; else decode and deliver. */
    public int kvmSetMsi(int addressLo, int addressHi, int data, int level) {
        if (MsiDecode.routeInvalid(addressHi, x2apicFormat)) {
            return Errno.EINVAL.neg();
        }
        if (level == 0) {
            return -1;
        }
        return delivery.deliver(null, msiToLapicIrq(addressLo, addressHi, data), null);
    }

    /** Models kvm_msi_to_lapic_irq: trace kvm_msi_set_irq, then decode. */
    private LapicIrq msiToLapicIrq(int addressLo, int addressHi, int data) {
        if (sim.tracing()) {
            sim.trace(new KvmMsiSetIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(),
                    MsiDecode.traceAddress(addressLo, addressHi, x2apicFormat), data));
        }
        return MsiDecode.decode(addressLo, addressHi, data, x2apicFormat);
    }

    /**
     * Models x86 kvm_arch_set_irq_inatomic: MSI → -EINVAL if the route is invalid, the count if
     * kvm_irq_delivery_to_apic_fast handles it, else -EWOULDBLOCK; everything else -EWOULDBLOCK.
     */
    public int kvmArchSetIrqInatomic(RoutingEntry e, int irqSourceId, int level, boolean lineStatus) {
        if (e.kind() == RoutingEntry.Kind.MSI) {
            MsiRoute m = (MsiRoute) e;
            if (MsiDecode.routeInvalid(m.addressHi(), x2apicFormat)) {
                return Errno.EINVAL.neg();
            }
            int r = delivery.deliverFast(null, msiToLapicIrq(m.addressLo(), m.addressHi(), m.data()), null);
            if (r != LapicDelivery.NOT_HANDLED) {
                return r;
            }
        }
        return Errno.EWOULDBLOCK.neg();
    }

    // ---- routing listeners and the irqfd resampler hook ----

    /** kvm_irq_routing_update's irqfd side: called after each published table. */
    public void addRoutingListener(RoutingListener l) { routingListeners.add(l); }

    public void removeRoutingListener(RoutingListener l) { routingListeners.remove(l); }

    /** Installs the irqfd side of kvm_notify_irqfd_resampler. */
    public void setResamplerNotifier(ResamplerNotifier n) { this.resamplerNotifier = n; }

    // ---- ack notifiers ----

    /** Models kvm_register_irq_ack_notifier (hlist_add_head: the newest is called first). */
    public void registerAckNotifier(IrqAckNotifier n) {
        IrqAckNotifier[] next = new IrqAckNotifier[ackNotifiers.length + 1];
        next[0] = n;
        System.arraycopy(ackNotifiers, 0, next, 1, ackNotifiers.length);
        ackNotifiers = next;
    }

    /** Models kvm_unregister_irq_ack_notifier. */
    public void unregisterAckNotifier(IrqAckNotifier n) {
        List<IrqAckNotifier> l = new ArrayList<>(Arrays.asList(ackNotifiers));
        if (l.remove(n)) {
            ackNotifiers = l.toArray(NO_NOTIFIERS);
        }
    }

    /** Models kvm_notify_acked_irq: trace kvm_ack_irq; gsi = chip[irqchip][pin]; notifiers of that GSI. */
    @Override
    public void notifyAckedIrq(int irqchip, int pin) {
        if (sim.tracing()) {
            sim.trace(new KvmAckIrq(sim.now(), kernel.current().comm(), kernel.current().cpu(), irqchip, pin));
        }
        int gsi = routing.chipPin(irqchip, pin);
        if (gsi != -1) {
            notifyAckedGsi(gsi);
        }
    }

    /** Models kvm_notify_acked_gsi: a snapshot of the list, as an RCU walk sees it. */
    public void notifyAckedGsi(int gsi) {
        for (IrqAckNotifier n : ackNotifiers) {
            if (n.gsi() == gsi) {
                n.irqAcked();
            }
        }
    }

    /** Models kvm_irq_has_notifier. */
    @Override
    public boolean irqHasNotifier(int irqchip, int pin) {
        int gsi = routing.chipPin(irqchip, pin);
        if (gsi != -1) {
            for (IrqAckNotifier n : ackNotifiers) {
                if (n.gsi() == gsi) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Models kvm_notify_irqfd_resampler. */
    @Override
    public boolean notifyIrqfdResampler(int irqchip, int pin) {
        int gsi = routing.chipPin(irqchip, pin);
        return gsi != -1 && resamplerNotifier.notifyResampler(gsi);
    }

    /**
     * Models kvm_scan_ioapic_routes for one vector (split irqchip): a level-triggered MSI route
     * on a GSI below min(nr_rt_entries, nr_reserved_ioapic_pins) with this vector whose
     * destination matches the APIC, or whose vector the APIC still has pending.
     */
    private boolean scanIoapicRoutes(LocalApic apic, int vector) {
        long pins = Math.min(routing.nrRtEntries(), nrReservedIoapicPins);
        for (int gsi = 0; gsi < pins; gsi++) {
            for (RoutingEntry e : routing.entries(gsi)) {
                if (e.kind() != RoutingEntry.Kind.MSI) {
                    continue;
                }
                MsiRoute m = (MsiRoute) e;
                LapicIrq irq = MsiDecode.decode(m.addressLo(), m.addressHi(), m.data(), x2apicFormat);
                if (!irq.trigMode() || irq.vector() != vector) {
                    continue;
                }
                if (delivery.matchDest(apic, null, APIC_DEST_NOSHORT, irq.destId(), irq.destMode())
                        || apic.pendingEoi(vector)) {
                    return true;
                }
            }
        }
        return false;
    }
}
