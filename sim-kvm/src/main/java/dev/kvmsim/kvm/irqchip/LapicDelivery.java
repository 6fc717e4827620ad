package dev.kvmsim.kvm.irqchip;

import static dev.kvmsim.kvm.irqchip.Apic.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Delivery of an interrupt message to the local APICs of a VM: models arch/x86/kvm/irq.c
 * kvm_irq_delivery_to_apic (slow path) and lapic.c kvm_irq_delivery_to_apic_fast with the
 * APIC map (kvm_recalculate_apic_map), kvm_apic_match_dest and kvm_vector_to_index.
 *
 * <p>Caveats: single simulation thread; the map is rebuilt lazily after any change to an
 * APIC ID, LDR, DFR or software-enable bit (the kernel rebuilds it at the change). vCPUs are
 * indexed in creation order (vcpu_idx).
 */
public final class LapicDelivery {
    /** Returned by {@link #deliverFast} when the fast path cannot handle the message. */
    public static final int NOT_HANDLED = Integer.MIN_VALUE;

    private enum LogicalMode { SW_DISABLED, XAPIC_FLAT, XAPIC_CLUSTER, MAP_DISABLED }

    /** Models struct kvm_apic_map. */
    private static final class ApicMap {
        int maxApicId;
        LocalApic[] phys;
        LogicalMode logicalMode = LogicalMode.SW_DISABLED;
        final LocalApic[] flat = new LocalApic[8];
        final LocalApic[][] cluster = new LocalApic[16][4];
    }

    private final Simulation sim;
    private final Kernel kernel;
    private final List<LocalApic> apics = new ArrayList<>();
    private boolean vectorHashing = true;
    private ApicMap map;
    private boolean mapDirty = true;

    public LapicDelivery(Kernel kernel) {
        this.sim = kernel.sim();
        this.kernel = kernel;
    }

    /** Creates the local APIC of a new vCPU (kvm_create_lapic) and adds it to the map. */
    public LocalApic createLapic(int vcpuId) {
        LocalApic apic = new LocalApic(kernel, this, vcpuId);
        apics.add(apic);
        invalidateMap();
        return apic;
    }

    /** The APICs by vcpu_idx (creation order). */
    public List<LocalApic> apics() { return Collections.unmodifiableList(apics); }

    /** The module parameter kvm.vector_hashing (default true). */
    public void setVectorHashing(boolean on) { this.vectorHashing = on; }

    void invalidateMap() { mapDirty = true; }

    // ---- kvm_irq_delivery_to_apic ----

    /**
     * Models kvm_irq_delivery_to_apic: the fast path if it handles the message, else every vCPU
     * with a present, matching APIC (r starts at -1, becomes 0 at the first match and sums
     * kvm_apic_set_irq), lowest priority to one software-enabled APIC chosen by vector hashing
     * ((vector % n)-th match) or by arbitration priority. Returns -1 when nothing matched.
     */
    public int deliver(LocalApic src, LapicIrq irq, DestMap destMap) {
        int r = deliverFast(src, irq, destMap);
        if (r != NOT_HANDLED) {
            return r;
        }
        r = -1;
        if (irq.destMode() == APIC_DEST_PHYSICAL && irq.destId() == 0xff && irq.deliveryMode() == APIC_DM_LOWEST) {
            // "apic: phys broadcast and lowest prio": the mode becomes Fixed; an MSI redirection
            // hint still keeps kvm_lowest_prio_delivery true, so RH=1 picks one vCPU.
            irq = irq.withDeliveryMode(APIC_DM_FIXED);
        }
        boolean lowestPrio = lowestPrioDelivery(irq);
        LocalApic lowest = null;
        int destVcpus = 0;
        long[] bitmap = lowestPrio && vectorHashing ? new long[(apics.size() + 63) >>> 6] : null;
        for (int i = 0; i < apics.size(); i++) {
            LocalApic apic = apics.get(i);
            if (!apic.hwEnabled() || !matchDest(apic, src, irq.shorthand(), irq.destId(), irq.destMode())) {
                continue;
            }
            if (!lowestPrio) {
                if (r < 0) {
                    r = 0;
                }
                r += setIrq(apic, irq, destMap);
            } else if (apic.swEnabled()) {
                if (!vectorHashing) {
                    if (lowest == null || apic.arbPrio() - lowest.arbPrio() < 0) {
                        lowest = apic;
                    }
                } else {
                    bitmap[i >>> 6] |= 1L << i;
                    destVcpus++;
                }
            }
        }
        if (destVcpus != 0) {
            lowest = apics.get(vectorToIndex(irq.vector(), destVcpus, bitmap));
        }
        if (lowest != null) {
            r = setIrq(lowest, irq, destMap);
        }
        return r;
    }

    /** Models kvm_apic_set_irq. */
    private static int setIrq(LocalApic apic, LapicIrq irq, DestMap destMap) {
        return apic.acceptIrq(irq.deliveryMode(), irq.vector(), irq.level(), irq.trigMode(), destMap);
    }

    /**
     * Models kvm_irq_delivery_to_apic_fast: the number of APICs that accepted (0 when the map
     * says "no such destination"), or {@link #NOT_HANDLED} for shorthands other than self, a
     * broadcast destination, no map, or a disabled logical map.
     */
    public int deliverFast(LocalApic src, LapicIrq irq, DestMap destMap) {
        if (irq.shorthand() == APIC_DEST_SELF) {
            return src == null ? 0 : setIrq(src, irq, destMap);
        }
        if (irq.shorthand() != APIC_DEST_NOSHORT) {
            return NOT_HANDLED;
        }
        ApicMap m = map();
        if (m == null || irq.destId() == APIC_BROADCAST) {
            return NOT_HANDLED;
        }
        if (irq.destMode() == APIC_DEST_PHYSICAL) {
            if (Integer.compareUnsigned(irq.destId(), m.maxApicId) > 0) {
                return 0;
            }
            LocalApic dst = m.phys[irq.destId()];
            return dst == null ? 0 : setIrq(dst, irq, destMap);
        }
        LocalApic[] cluster;
        int mask;
        switch (m.logicalMode) {
            case SW_DISABLED -> {
                return 0;
            }
            case XAPIC_FLAT -> {
                cluster = m.flat;
                mask = irq.destId() & 0xff;
            }
            case XAPIC_CLUSTER -> {
                cluster = m.cluster[(irq.destId() >> 4) & 0xf];
                mask = irq.destId() & 0xf;
            }
            default -> {
                return NOT_HANDLED;
            }
        }
        if (lowestPrioDelivery(irq)) {
            mask = lowestOf(cluster, mask, irq.vector());
        }
        int r = 0;
        for (int i = 0; i < cluster.length; i++) {
            if ((mask & (1 << i)) != 0 && cluster[i] != null) {
                r += setIrq(cluster[i], irq, destMap);
            }
        }
        return r;
    }

    /** The lowest-priority choice of kvm_apic_map_get_dest_lapic: a one-bit mask (or 0). */
    private int lowestOf(LocalApic[] cluster, int mask, int vector) {
        int lowest = -1;
        if (!vectorHashing) {
            for (int i = 0; i < cluster.length; i++) {
                if ((mask & (1 << i)) == 0 || cluster[i] == null) {
                    continue;
                }
                if (lowest < 0 || cluster[i].arbPrio() - cluster[lowest].arbPrio() < 0) {
                    lowest = i;
                }
            }
        } else {
            if (mask == 0) {
                return 0;
            }
            lowest = vectorToIndex(vector, Integer.bitCount(mask), new long[] {mask});
            if (cluster[lowest] == null) {
                return 0;
            }
        }
        return lowest >= 0 ? 1 << lowest : 0;
    }

    /** Models kvm_vector_to_index: the (vector % n)-th set bit of {@code bitmap} (0-based). */
    public static int vectorToIndex(int vector, int destVcpus, long[] bitmap) {
        int mod = Integer.remainderUnsigned(vector, destVcpus);
        int idx = -1;
        for (int i = 0; i <= mod; i++) {
            idx = nextSetBit(bitmap, idx + 1);
        }
        return idx;
    }

    private static int nextSetBit(long[] bits, int from) {
        for (int w = from >>> 6; w < bits.length; w++) {
            long word = bits[w] & (w == from >>> 6 ? -1L << from : -1L);
            if (word != 0) {
                return w * 64 + Long.numberOfTrailingZeros(word);
            }
        }
        throw new IllegalStateException("kvm_vector_to_index ran past the bitmap");
    }

    // ---- kvm_apic_match_dest ----

    /** Models kvm_apic_match_dest (xAPIC; the broadcast quirk rewrites nothing without x2APIC). */
    public boolean matchDest(LocalApic target, LocalApic source, int shorthand, int dest, int destMode) {
        return switch (shorthand) {
            case APIC_DEST_NOSHORT -> destMode == APIC_DEST_PHYSICAL
                    ? matchPhysical(target, dest) : matchLogical(target, dest);
            case APIC_DEST_SELF -> target == source;
            case APIC_DEST_ALLINC -> true;
            case APIC_DEST_ALLBUT -> target != source;
            default -> false;
        };
    }

    /** Models kvm_apic_match_physical_addr (with the hotplug hack for IDs above 0xff). */
    private static boolean matchPhysical(LocalApic apic, int mda) {
        if (mda == APIC_BROADCAST) {
            return true;
        }
        if (Integer.compareUnsigned(mda, 0xff) > 0) {
            return mda == apic.vcpuId();
        }
        return mda == apic.xapicId();
    }

    /** Models kvm_apic_match_logical_addr for flat and cluster models. */
    private static boolean matchLogical(LocalApic apic, int mda) {
        if (mda == APIC_BROADCAST) {
            return true;
        }
        int logicalId = apic.ldr() >>> 24;
        if (apic.dfr() == APIC_DFR_FLAT) {
            return (logicalId & mda) != 0;
        }
        if (apic.dfr() == APIC_DFR_CLUSTER) {
            return (logicalId >> 4) == ((mda >> 4) & 0xf) && (logicalId & mda & 0xf) != 0;
        }
        return false;
    }

    // ---- kvm_recalculate_apic_map ----

    private ApicMap map() {
        if (mapDirty) {
            map = buildMap();
            mapDirty = false;
        }
        return map;
    }

    /** Models kvm_recalculate_apic_map: null (no map) without vCPUs or on a physical ID conflict. */
    private ApicMap buildMap() {
        if (apics.isEmpty()) {
            return null;
        }
        ApicMap m = new ApicMap();
        int max = 0;
        for (LocalApic a : apics) {
            if (a.hwEnabled()) {
                max = Math.max(max, Math.max(a.vcpuId(), a.xapicId()));
            }
        }
        m.maxApicId = max;
        m.phys = new LocalApic[max + 1];
        boolean xapicIdMismatch = false;
        for (LocalApic a : apics) {
            if (!a.hwEnabled()) {
                continue;
            }
            if (m.phys[a.xapicId()] != null) {
                return null;
            }
            m.phys[a.xapicId()] = a;
            xapicIdMismatch |= a.xapicId() != (a.vcpuId() & 0xff);
        }
        if (xapicIdMismatch) {
            m.logicalMode = LogicalMode.MAP_DISABLED;
            return m;
        }
        for (LocalApic a : apics) {
            addLogical(m, a);
        }
        return m;
    }

    /** Models kvm_recalculate_logical_map. */
    private static void addLogical(ApicMap m, LocalApic a) {
        if (m.logicalMode == LogicalMode.MAP_DISABLED || !a.hwEnabled() || !a.swEnabled() || a.ldr() == 0) {
            return;
        }
        int ldr = a.ldr() >>> 24;
        LogicalMode mode = a.dfr() == APIC_DFR_FLAT ? LogicalMode.XAPIC_FLAT : LogicalMode.XAPIC_CLUSTER;
        if (m.logicalMode != LogicalMode.SW_DISABLED && m.logicalMode != mode) {
            m.logicalMode = LogicalMode.MAP_DISABLED;
            return;
        }
        m.logicalMode = mode;
        LocalApic[] cluster = mode == LogicalMode.XAPIC_FLAT ? m.flat : m.cluster[(ldr >> 4) & 0xf];
        int mask = mode == LogicalMode.XAPIC_FLAT ? ldr : ldr & 0xf;
        if (mask == 0) {
            return;
        }
        int slot = Integer.numberOfTrailingZeros(mask);
        if (Integer.bitCount(mask) != 1 || cluster[slot] != null) {
            m.logicalMode = LogicalMode.MAP_DISABLED;
        } else {
            cluster[slot] = a;
        }
    }
}
