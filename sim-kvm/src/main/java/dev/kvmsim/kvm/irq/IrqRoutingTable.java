package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irqchip.Apic.*;

import dev.kvmsim.kvm.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * Models virt/kvm/irqchip.c struct kvm_irq_routing_table: {@code chip[irqchip][pin]} (the GSI
 * of each pin, -1 if none; the last entry processed for a pin wins), {@code nr_rt_entries}
 * (max GSI + 1) and {@code map[gsi]}, each GSI's entries in list order (head insertion, so the
 * last entry of the ioctl array comes first). Immutable once built: a new table is published
 * whole, as the kernel does under RCU.
 */
public final class IrqRoutingTable {
    /** KVM_MAX_IRQ_ROUTES (6.17, all arches). */
    public static final int KVM_MAX_IRQ_ROUTES = 4096;

    private static final RoutingEntry[] NONE = new RoutingEntry[0];

    private final int[][] chip;
    private final int nrRtEntries;
    private final RoutingEntry[][] map;
    private final int size;

    private IrqRoutingTable(int[][] chip, int nrRtEntries, RoutingEntry[][] map, int size) {
        this.chip = chip;
        this.nrRtEntries = nrRtEntries;
        this.map = map;
        this.size = size;
    }

    /** Models kvm_init_irq_routing: an empty table with nr_rt_entries = 1 and chip[][] = -1. */
    public static IrqRoutingTable initial() {
        return new IrqRoutingTable(emptyChip(), 1, new RoutingEntry[][] {NONE}, 0);
    }

    private static int[][] emptyChip() {
        int[][] c = new int[KVM_NR_IRQCHIPS][KVM_IOAPIC_NUM_PINS];
        for (int[] row : c) {
            java.util.Arrays.fill(row, -1);
        }
        return c;
    }

    public int nrRtEntries() { return nrRtEntries; }

    /** The number of routing entries. */
    public int size() { return size; }

    /** kvm_irq_map_chip_pin. */
    public int chipPin(int irqchip, int pin) { return chip[irqchip][pin]; }

    /** The entries of {@code gsi} in list order (shared array: do not modify); empty when gsi &gt;= nr_rt_entries. */
    RoutingEntry[] entries(int gsi) {
        return Integer.compareUnsigned(gsi, nrRtEntries) < 0 ? map[gsi] : NONE;
    }

    /** Every entry, GSI by GSI in list order. */
    public List<RoutingEntry> all() {
        List<RoutingEntry> out = new ArrayList<>(size);
        for (RoutingEntry[] es : map) {
            out.addAll(List.of(es));
        }
        return out;
    }

    /**
     * Models kvm_set_irq_routing up to publication: any gsi &gt;= 4096 fails first; then for each
     * entry in array order the flags rule (MSI: only KVM_MSI_VALID_DEVID; others: none),
     * setup_routing_entry (a non-IRQCHIP route alone on its GSI, one route per irqchip) and x86
     * kvm_set_routing_entry. Returns the new table, or null with {@code err[0]} = -EINVAL.
     */
    public static IrqRoutingTable build(List<RoutingEntry> ue, boolean split, boolean x2apicFormat, int[] err) {
        int maxGsi = 0;
        for (RoutingEntry e : ue) {
            if (Integer.compareUnsigned(e.gsi(), KVM_MAX_IRQ_ROUTES) >= 0) {
                err[0] = Errno.EINVAL.neg();
                return null;
            }
            maxGsi = Math.max(maxGsi, e.gsi());
        }
        int nr = maxGsi + 1;
        int[][] chip = emptyChip();
        List<List<RoutingEntry>> lists = new ArrayList<>(nr);
        for (int i = 0; i < nr; i++) {
            lists.add(new ArrayList<>(2));
        }
        for (RoutingEntry e : ue) {
            boolean flagsOk = e.kind() == RoutingEntry.Kind.MSI
                    ? (e.flags() & ~RoutingEntry.KVM_MSI_VALID_DEVID) == 0
                    : e.flags() == 0;
            RoutingEntry k = flagsOk ? setupRoutingEntry(chip, lists.get(e.gsi()), e, split, x2apicFormat) : null;
            if (k == null) {
                err[0] = Errno.EINVAL.neg();
                return null;
            }
        }
        RoutingEntry[][] map = new RoutingEntry[nr][];
        for (int i = 0; i < nr; i++) {
            map[i] = lists.get(i).toArray(NONE);
        }
        err[0] = 0;
        return new IrqRoutingTable(chip, nr, map, ue.size());
    }

    /** Models setup_routing_entry: returns the kernel-form entry added at the head of map[gsi], or null for -EINVAL. */
    private static RoutingEntry setupRoutingEntry(int[][] chip, List<RoutingEntry> mapGsi, RoutingEntry ue,
                                                  boolean split, boolean x2apicFormat) {
        // Do not map a GSI to the same irqchip twice; a non-irqchip route must be alone on its GSI.
        for (RoutingEntry ei : mapGsi) {
            if (ei.kind() != RoutingEntry.Kind.IRQCHIP || ue.kind() != RoutingEntry.Kind.IRQCHIP
                    || ((IrqchipRoute) ue).irqchip() == ((IrqchipRoute) ei).irqchip()) {
                return null;
            }
        }
        RoutingEntry e = setRoutingEntry(ue, split, x2apicFormat);
        if (e == null) {
            return null;
        }
        if (e instanceof IrqchipRoute ir) {
            chip[ir.irqchip()][ir.pin()] = ir.gsi();
        }
        mapGsi.add(0, e);
        return e;
    }

    /** Models x86 kvm_set_routing_entry: the kernel form of an entry, or null for -EINVAL. */
    private static RoutingEntry setRoutingEntry(RoutingEntry ue, boolean split, boolean x2apicFormat) {
        switch (ue.kind()) {
            case IRQCHIP: {
                IrqchipRoute r = (IrqchipRoute) ue;
                if (split) {
                    return null;
                }
                switch (r.irqchip()) {
                    case KVM_IRQCHIP_PIC_SLAVE:
                    case KVM_IRQCHIP_PIC_MASTER:
                        if (Integer.compareUnsigned(r.pin(), PIC_NUM_PINS / 2) >= 0) {
                            return null;
                        }
                        int pin = r.irqchip() == KVM_IRQCHIP_PIC_SLAVE ? r.pin() + PIC_NUM_PINS / 2 : r.pin();
                        return new IrqchipRoute(r.gsi(), r.irqchip(), pin, 0);
                    case KVM_IRQCHIP_IOAPIC:
                        if (Integer.compareUnsigned(r.pin(), KVM_IOAPIC_NUM_PINS) >= 0) {
                            return null;
                        }
                        return r;
                    default:
                        return null;
                }
            }
            case MSI: {
                MsiRoute m = (MsiRoute) ue;
                return MsiDecode.routeInvalid(m.addressHi(), x2apicFormat) ? null : m;
            }
            case RAW:
            default:
                // S390 adapter, Hyper-V SINT and Xen event channels are not built in; unknown types.
                return null;
        }
    }
}
