package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irqchip.Apic.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#gsi-routing: kvm_main.c KVM_SET_GSI_ROUTING, irqchip.c kvm_set_irq_routing / setup_routing_entry, x86 kvm_set_routing_entry. */
class GsiRoutingTest {
    private final IrqTestSupport t = IrqTestSupport.kernelIrqchip(1, GuestState.BOOTED);
    private static final int EINVAL = Errno.EINVAL.neg();

    private static List<RoutingEntry> msi(int gsi) {
        return List.of(new MsiRoute(gsi, 0xFEE00000, 0, 0x30));
    }

    // KVM_SET_GSI_ROUTING: !kvm_arch_can_set_irq_routing (no in-kernel irqchip) -> EINVAL
    @Test
    void setGsiRouting_withoutIrqchip_isEinval() {
        KvmIrqchip none = new KvmIrqchip(new Kernel(new Simulation(1), CostModel.defaults()));
        assertEquals(EINVAL, none.setGsiRouting(msi(1), 0));
    }

    // KVM_SET_GSI_ROUTING: routing.nr > KVM_MAX_IRQ_ROUTES (4096) -> EINVAL; 4096 is fine
    @Test
    void setGsiRouting_moreThan4096Entries_isEinval() {
        List<RoutingEntry> ok = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            ok.add(new MsiRoute(i, 0xFEE00000, 0, 0x30));
        }
        assertEquals(0, t.chip.setGsiRouting(ok, 0));
        List<RoutingEntry> tooMany = new ArrayList<>(ok);
        tooMany.add(new MsiRoute(5, 0xFEE00000, 0, 0x30));
        assertEquals(EINVAL, t.chip.setGsiRouting(tooMany, 0));
    }

    // KVM_SET_GSI_ROUTING: routing.flags != 0 -> EINVAL
    @Test
    void setGsiRouting_nonZeroFlags_isEinval() {
        assertEquals(EINVAL, t.chip.setGsiRouting(msi(1), 1));
    }

    // kvm_set_irq_routing: any gsi >= KVM_MAX_IRQ_ROUTES -> EINVAL (u32: "negative" ints too)
    @Test
    void setGsiRouting_gsiAtOrAbove4096_isEinval() {
        assertEquals(0, t.chip.setGsiRouting(msi(4095), 0));
        assertEquals(4096, t.chip.routing().nrRtEntries());
        assertEquals(EINVAL, t.chip.setGsiRouting(msi(4096), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(msi(-1), 0));
    }

    // kvm_set_irq_routing: MSI flags other than KVM_MSI_VALID_DEVID -> EINVAL
    @Test
    void setGsiRouting_msiFlags_onlyValidDevidAccepted() {
        assertEquals(0, t.chip.setGsiRouting(List.of(new MsiRoute(1, 0xFEE00000, 0, 0x30, 1, 7)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new MsiRoute(1, 0xFEE00000, 0, 0x30, 2, 0)), 0));
    }

    // kvm_set_irq_routing: other types with flags != 0 -> EINVAL
    @Test
    void setGsiRouting_irqchipWithFlags_isEinval() {
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_IOAPIC, 1, 1)), 0));
    }

    // setup_routing_entry: a GSI maps to one route per irqchip
    @Test
    void setGsiRouting_sameIrqchipTwiceOnOneGsi_isEinval() {
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(
                new IrqchipRoute(3, KVM_IRQCHIP_IOAPIC, 3), new IrqchipRoute(3, KVM_IRQCHIP_IOAPIC, 4)), 0));
        assertEquals(0, t.chip.setGsiRouting(List.of(
                new IrqchipRoute(3, KVM_IRQCHIP_IOAPIC, 3), new IrqchipRoute(3, KVM_IRQCHIP_PIC_MASTER, 3),
                new IrqchipRoute(3, KVM_IRQCHIP_PIC_SLAVE, 3)), 0));
    }

    // setup_routing_entry: a non-IRQCHIP route must be alone on its GSI (either order)
    @Test
    void setGsiRouting_msiSharingAGsi_isEinval() {
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(
                new IrqchipRoute(3, KVM_IRQCHIP_IOAPIC, 3), new MsiRoute(3, 0xFEE00000, 0, 0x30)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(
                new MsiRoute(3, 0xFEE00000, 0, 0x30), new IrqchipRoute(3, KVM_IRQCHIP_IOAPIC, 3)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(
                new MsiRoute(3, 0xFEE00000, 0, 0x30), new MsiRoute(3, 0xFEE00000, 0, 0x31)), 0));
    }

    // x86 kvm_set_routing_entry: PIC pins < 8, IOAPIC pins < 24, unknown irqchip and types rejected
    @Test
    void setGsiRouting_pinAndIrqchipLimits() {
        assertEquals(0, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_PIC_MASTER, 7)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_PIC_MASTER, 8)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_PIC_SLAVE, 8)), 0));
        assertEquals(0, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_IOAPIC, 23)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_IOAPIC, 24)), 0));
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new IrqchipRoute(1, 3, 0)), 0));
        for (int type : new int[] {0, 3, 4, 5, 6, 99}) {
            assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new RawRoute(1, type, 0)), 0), "type " + type);
        }
    }

    // kvm_set_routing_entry: the slave's pins are stored as pin + 8 (chip[PIC_SLAVE][pin+8] = gsi)
    @Test
    void slavePin_isStoredPlus8() {
        assertEquals(0, t.chip.setGsiRouting(List.of(new IrqchipRoute(40, KVM_IRQCHIP_PIC_SLAVE, 3)), 0));
        assertEquals(40, t.chip.kvmIrqMapChipPin(KVM_IRQCHIP_PIC_SLAVE, 11));
        assertEquals(-1, t.chip.kvmIrqMapChipPin(KVM_IRQCHIP_PIC_SLAVE, 3));
        IrqchipRoute r = (IrqchipRoute) t.chip.kvmIrqMapGsi(40)[0];
        assertEquals(11, r.pin());
    }

    // kvm_set_routing_entry: split irqchip rejects IRQCHIP routes
    @Test
    void splitIrqchip_rejectsIrqchipRoutes() {
        KvmIrqchip split = new KvmIrqchip(new Kernel(new Simulation(1), CostModel.defaults()));
        assertEquals(0, split.enableSplitIrqchip(24, 0));
        assertEquals(EINVAL, split.setGsiRouting(List.of(new IrqchipRoute(1, KVM_IRQCHIP_IOAPIC, 1)), 0));
        assertEquals(0, split.setGsiRouting(msi(1), 0));
    }

    // kvm_set_routing_entry / kvm_msi_route_invalid: x2apic_format && address_hi & 0xff -> EINVAL
    @Test
    void x2apicFormat_addressHiLowByte_isEinval() {
        assertEquals(0, t.chip.setGsiRouting(List.of(new MsiRoute(1, 0xFEE00000, 0x01, 0x30)), 0));
        t.chip.setX2apicFormat(true);
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(new MsiRoute(1, 0xFEE00000, 0x01, 0x30)), 0));
        assertEquals(0, t.chip.setGsiRouting(List.of(new MsiRoute(1, 0xFEE00000, 0x100, 0x30)), 0));
    }

    // kvm_set_irq_routing: any error discards the new table; the old one stays in force
    @Test
    void rejectedRouting_keepsOldTable() {
        IrqRoutingTable before = t.chip.routing();
        int[] updates = {0};
        t.chip.addRoutingListener(() -> updates[0]++);
        assertEquals(EINVAL, t.chip.setGsiRouting(List.of(
                new MsiRoute(1, 0xFEE00000, 0, 0x30), new IrqchipRoute(2, KVM_IRQCHIP_IOAPIC, 99)), 0));
        assertSame(before, t.chip.routing());
        assertEquals(0, updates[0]);
        assertEquals(2, t.chip.kvmIrqMapGsi(2).length);
    }

    // kvm_set_irq_routing: after publishing, kvm_irq_routing_update notifies the irqfds
    @Test
    void acceptedRouting_notifiesListeners() {
        int[] updates = {0};
        t.chip.addRoutingListener(() -> updates[0]++);
        assertEquals(0, t.chip.setGsiRouting(msi(1), 0));
        assertEquals(1, updates[0]);
    }

    // setup_routing_entry: chip[irqchip][pin] = gsi, the last entry for a pin wins; head insertion
    @Test
    void chipPin_lastWins_andMapIsHeadInserted() {
        assertEquals(0, t.chip.setGsiRouting(List.of(
                new IrqchipRoute(5, KVM_IRQCHIP_IOAPIC, 5), new IrqchipRoute(9, KVM_IRQCHIP_IOAPIC, 5),
                new IrqchipRoute(9, KVM_IRQCHIP_PIC_MASTER, 1)), 0));
        assertEquals(9, t.chip.kvmIrqMapChipPin(KVM_IRQCHIP_IOAPIC, 5));
        RoutingEntry[] m9 = t.chip.kvmIrqMapGsi(9);
        assertEquals(KVM_IRQCHIP_PIC_MASTER, ((IrqchipRoute) m9[0]).irqchip());
        assertEquals(KVM_IRQCHIP_IOAPIC, ((IrqchipRoute) m9[1]).irqchip());
        assertEquals(10, t.chip.routing().nrRtEntries());
        assertEquals(0, t.chip.kvmIrqMapGsi(10).length, "past nr_rt_entries");
    }

    // an empty table: nr_rt_entries = 1, chip[][] = -1 (kvm_init_irq_routing and nr = 0)
    @Test
    void emptyRouting_hasOneEntrySlot() {
        assertEquals(0, t.chip.setGsiRouting(Collections.emptyList(), 0));
        assertEquals(1, t.chip.routing().nrRtEntries());
        assertEquals(-1, t.chip.kvmIrqMapChipPin(KVM_IRQCHIP_IOAPIC, 0));
        assertEquals(-1, t.chip.kvmSetIrq(0, 0, 1, false));
    }

    // kvm_setup_default_ioapic_and_pic_routing: GSI 0-15 -> PIC then IOAPIC (map order), 16-23 IOAPIC only
    @Test
    void defaultRouting_shape() {
        IrqRoutingTable r = t.chip.routing();
        assertEquals(24, r.nrRtEntries());
        assertEquals(40, r.size());
        for (int gsi = 0; gsi < 24; gsi++) {
            RoutingEntry[] es = t.chip.kvmIrqMapGsi(gsi);
            if (gsi < 16) {
                assertEquals(2, es.length);
                IrqchipRoute pic = (IrqchipRoute) es[0];
                assertEquals(gsi < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE, pic.irqchip());
                assertEquals(gsi, pic.pin(), "kernel form pin (slave + 8)");
                assertEquals(KVM_IRQCHIP_IOAPIC, ((IrqchipRoute) es[1]).irqchip());
                assertEquals(gsi, t.chip.kvmIrqMapChipPin(selectPic(gsi), gsi));
            } else {
                assertEquals(1, es.length);
                assertEquals(KVM_IRQCHIP_IOAPIC, ((IrqchipRoute) es[0]).irqchip());
            }
            assertEquals(gsi, t.chip.kvmIrqMapChipPin(KVM_IRQCHIP_IOAPIC, gsi));
        }
    }

    // KVM_CREATE_IRQCHIP: EEXIST when one exists, EINVAL once vCPUs were created
    @Test
    void createIrqchip_errors() {
        assertEquals(Errno.EEXIST.neg(), t.chip.createIrqchip(0));
        KvmIrqchip fresh = new KvmIrqchip(new Kernel(new Simulation(1), CostModel.defaults()));
        assertEquals(EINVAL, fresh.createIrqchip(1));
        assertEquals(IrqchipMode.NONE, fresh.mode());
    }

    // KVM_CAP_SPLIT_IRQCHIP: args[0] > 4096 EINVAL; irqchip exists or vCPUs created EEXIST
    @Test
    void enableSplitIrqchip_errors() {
        KvmIrqchip fresh = new KvmIrqchip(new Kernel(new Simulation(1), CostModel.defaults()));
        assertEquals(EINVAL, fresh.enableSplitIrqchip(4097, 0));
        assertEquals(EINVAL, fresh.enableSplitIrqchip(-1L, 0), "u64");
        assertEquals(Errno.EEXIST.neg(), fresh.enableSplitIrqchip(24, 1));
        assertEquals(Errno.EEXIST.neg(), t.chip.enableSplitIrqchip(24, 0));
        assertEquals(0, fresh.enableSplitIrqchip(4096, 0));
        assertEquals(Errno.EEXIST.neg(), fresh.enableSplitIrqchip(24, 0));
        assertEquals(Errno.EEXIST.neg(), fresh.createIrqchip(0));
        assertEquals(0, fresh.routing().size(), "split routing stays empty");
    }
}
