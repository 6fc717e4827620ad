package dev.kvmsim.kvm.irq;

import static dev.kvmsim.kvm.irq.IrqTestSupport.*;
import static dev.kvmsim.kvm.irqchip.Apic.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.irqchip.LapicIrq;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/kernel-model.md#irqfd, #msi: kvm_set_msi, KVM_SIGNAL_MSI, kvm_irq_delivery_to_apic(_fast), kvm_arch_set_irq_inatomic. */
class MsiDeliveryTest {
    private final IrqTestSupport t = IrqTestSupport.kernelIrqchip(4, GuestState.BOOTED);

    private int accepted(int vector) {
        int n = 0;
        for (int i = 0; i < 4; i++) {
            n += t.apic(i).irrTest(vector) ? 1 : 0;
        }
        return n;
    }

    // kvm_irq_delivery_to_apic slow path: physical 0xFF broadcast reaches every vCPU
    @Test
    void signalMsi_physicalBroadcast_reachesAllFourVcpus() {
        assertEquals(4, t.chip.signalMsi(msiAddr(0xff, false, false), 0, msiData(0x31, 0, false), 0, 0));
        assertEquals(4, accepted(0x31));
    }

    // Observed (6.18): LowPrio without hint to 0xFF is rewritten to Fixed and reaches every vCPU
    @Test
    void signalMsi_lowPrioBroadcastWithoutHint_reachesAll() {
        assertEquals(4, t.chip.signalMsi(msiAddr(0xff, false, false), 0, msiData(0x31, 1, false), 0, 0));
        assertEquals(4, accepted(0x31));
    }

    // Observed (6.18): physical 0xFF with RH set -> one vCPU by vector hashing ((vector % n)-th)
    @Test
    void signalMsi_broadcastWithRedirectionHint_oneVcpuByVectorHashing() {
        assertEquals(1, t.chip.signalMsi(msiAddr(0xff, false, true), 0, msiData(0x31, 0, false), 0, 0));
        assertEquals(1, accepted(0x31));
        assertTrue(t.apic(0x31 % 4).irrTest(0x31));
        assertEquals(1, t.chip.signalMsi(msiAddr(0xff, false, true), 0, msiData(0x32, 1, false), 0, 0));
        assertTrue(t.apic(0x32 % 4).irrTest(0x32));
    }

    // Observed (6.18): an MSI to an APIC ID without a vCPU returns 0 (fast path, empty bitmap)
    @Test
    void signalMsi_toMissingApicId_returnsZero() {
        assertEquals(0, t.chip.signalMsi(msiAddr(9, false, false), 0, msiData(0x31, 0, false), 0, 0));
        assertEquals(0, accepted(0x31));
    }

    // Observed (6.18): a slow-path miss (-1) reaches userspace as EPERM
    @Test
    void signalMsi_slowPathMiss_isEperm() {
        IrqTestSupport reset = IrqTestSupport.kernelIrqchip(2, GuestState.RESET);
        int r = reset.chip.signalMsi(msiAddr(0xff, false, true), 0, msiData(0x31, 0, false), 0, 0);
        assertEquals(-1, r, "no software-enabled APIC for lowest priority");
        assertEquals(Errno.EPERM, Errno.fromNeg(r));
    }

    // kvm_send_userspace_msi: no irqchip or flags other than KVM_MSI_VALID_DEVID -> EINVAL
    @Test
    void signalMsi_errors() {
        assertEquals(Errno.EINVAL.neg(), new IrqTestSupport().chip.signalMsi(msiAddr(0, false, false), 0, 0x31, 0, 0));
        assertEquals(Errno.EINVAL.neg(), t.chip.signalMsi(msiAddr(0, false, false), 0, 0x31, 2, 0));
        assertEquals(1, t.chip.signalMsi(msiAddr(0, false, false), 0, 0x31, 1, 5));
    }

    // kvm_set_msi: level 0 -> -1 (the level-0 half of an irqfd pulse does nothing for MSI)
    @Test
    void kvmSetIrq_msiRoute_levelZeroIsMinusOne() {
        assertEquals(0, t.chip.setGsiRouting(List.of(new MsiRoute(40, msiAddr(1, false, false), 0, 0x41)), 0));
        assertEquals(1, t.chip.kvmSetIrq(0, 40, 1, false));
        assertEquals(-1, t.chip.kvmSetIrq(0, 40, 0, false));
        assertTrue(t.apic(1).irrTest(0x41));
    }

    // __apic_accept_irq: no coalescing at the LAPIC - already pending still counts 1
    @Test
    void lapic_alreadyPending_stillAccepted() {
        assertEquals(1, t.chip.signalMsi(msiAddr(2, false, false), 0, 0x41, 0, 0));
        assertEquals(1, t.chip.signalMsi(msiAddr(2, false, false), 0, 0x41, 0, 0));
    }

    // kvm_apic_map_get_dest_lapic: logical flat LowPrio -> the (vector % n)-th APIC of the mask
    @Test
    void logicalFlat_lowestPriority_vectorHashing() {
        for (int i = 0; i < 4; i++) {
            t.apic(i).regWrite(APIC_LDR, (1 << i) << 24);
        }
        for (int vector = 0x40; vector < 0x48; vector++) {
            assertEquals(1, t.chip.signalMsi(msiAddr(0x0f, true, false), 0, msiData(vector, 1, false), 0, 0));
            assertTrue(t.apic(vector % 4).irrTest(vector), "vector " + vector);
        }
        // mask 0b1010 (APICs 1 and 3): vector 0x41 % 2 = 1 -> the second, APIC 3
        t.chip.signalMsi(msiAddr(0x0a, true, false), 0, msiData(0x51, 1, false), 0, 0);
        assertTrue(t.apic(3).irrTest(0x51));
    }

    // logical flat Fixed: every APIC whose LDR bit is in the mask
    @Test
    void logicalFlat_fixed_reachesMaskedApics() {
        for (int i = 0; i < 4; i++) {
            t.apic(i).regWrite(APIC_LDR, (1 << i) << 24);
        }
        assertEquals(2, t.chip.signalMsi(msiAddr(0x05, true, false), 0, msiData(0x60, 0, false), 0, 0));
        assertTrue(t.apic(0).irrTest(0x60) && t.apic(2).irrTest(0x60));
    }

    // logical cluster model: cluster id in bits 7:4, member bits 3:0
    @Test
    void logicalCluster_matchesClusterMembers() {
        for (int i = 0; i < 4; i++) {
            t.apic(i).regWrite(APIC_DFR, APIC_DFR_CLUSTER);
            t.apic(i).regWrite(APIC_LDR, ((i / 2) << 4 | (1 << (i % 2))) << 24);
        }
        assertEquals(2, t.chip.signalMsi(msiAddr(0x13, true, false), 0, msiData(0x60, 0, false), 0, 0));
        assertTrue(t.apic(2).irrTest(0x60) && t.apic(3).irrTest(0x60));
        assertFalse(t.apic(0).irrTest(0x60));
    }

    // kvm_arch_set_irq_inatomic: MSI handled by the fast path -> count; broadcast -> -EWOULDBLOCK
    @Test
    void setIrqInatomic_msiFastPathOrWouldBlock() {
        MsiRoute unicast = new MsiRoute(1, msiAddr(3, false, false), 0, 0x41);
        MsiRoute broadcast = new MsiRoute(1, msiAddr(0xff, false, false), 0, 0x41);
        assertEquals(1, t.chip.kvmArchSetIrqInatomic(unicast, 0, 1, false));
        assertTrue(t.apic(3).irrTest(0x41));
        assertEquals(Errno.EWOULDBLOCK.neg(), t.chip.kvmArchSetIrqInatomic(broadcast, 0, 1, false));
        assertEquals(0, accepted(0x41) - 1, "the broadcast was not delivered");
        assertEquals(Errno.EWOULDBLOCK.neg(), t.chip.kvmArchSetIrqInatomic(new IrqchipRoute(1, KVM_IRQCHIP_IOAPIC, 1), 0, 1, false));
        t.chip.setX2apicFormat(true);
        assertEquals(Errno.EINVAL.neg(), t.chip.kvmArchSetIrqInatomic(new MsiRoute(1, msiAddr(3, false, false), 1, 0x41), 0, 1, false));
    }

    // kvm_arch_set_irq_inatomic emits kvm_msi_set_irq and kvm_apic_accept_irq but no kvm_set_irq
    @Test
    void setIrqInatomic_traceHasNoKvmSetIrq() {
        t.events.clear();
        t.chip.kvmArchSetIrqInatomic(new MsiRoute(1, msiAddr(3, false, false), 0, 0x41), 0, 1, false);
        assertEquals(List.of("kvm_msi_set_irq: dst 3 vec 65 (Fixed|physical|edge)",
                "kvm_apic_accept_irq: apicid 3 vec 65 (Fixed|edge)"), t.trace());
    }

    // __apic_accept_irq: software-disabled APIC drops Fixed (0); level-triggered with level 0 dropped
    @Test
    void acceptIrq_disabledOrDeassertedLevel_isDropped() {
        IrqTestSupport reset = IrqTestSupport.kernelIrqchip(1, GuestState.RESET);
        assertEquals(0, reset.chip.signalMsi(msiAddr(0, false, false), 0, 0x41, 0, 0));
        assertFalse(reset.apic(0).irrTest(0x41));
        assertEquals(0, t.apic(0).acceptIrq(APIC_DM_FIXED, 0x41, false, true, null));
        assertEquals(1, t.apic(0).acceptIrq(APIC_DM_FIXED, 0x41, false, false, null));
    }

    // vmx_deliver_interrupt: APICv posts (trace kvm_apicv_accept_irq), no kick
    @Test
    void apicv_postsInsteadOfKicking() {
        t.apic(1).setApicvActive(true);
        t.events.clear();
        t.chip.signalMsi(msiAddr(1, false, false), 0, 0x41, 0, 0);
        assertEquals(1, t.posted[1]);
        assertEquals(0, t.kicks[1]);
        assertTrue(t.apic(1).irrTest(0x41));
        assertTrue(t.trace().contains("kvm_apicv_accept_irq: apicid 1 vec 65 (Fixed|edge)"));
        t.chip.signalMsi(msiAddr(2, false, false), 0, 0x41, 0, 0);
        assertEquals(1, t.kicks[2]);
    }

    // the x2APIC format extends the destination with address_hi 31:8
    @Test
    void x2apicFormat_destinationFromAddressHi() {
        LapicIrq irq = MsiDecode.decode(msiAddr(0x12, false, false), 0x00003400, 0x41, true);
        assertEquals(0x3412, irq.destId());
        assertEquals(0x12, MsiDecode.decode(msiAddr(0x12, false, false), 0x00003400, 0x41, false).destId());
    }

    // kvm_recalculate_logical_map: mixed flat/cluster APICs disable the logical map; the fast path gives up
    @Test
    void logicalMapDisabled_fastPathGivesUp_slowPathDelivers() {
        t.apic(0).regWrite(APIC_LDR, 0x01 << 24);
        t.apic(1).regWrite(APIC_DFR, APIC_DFR_CLUSTER);
        t.apic(1).regWrite(APIC_LDR, 0x12 << 24);
        MsiRoute logical = new MsiRoute(1, msiAddr(0x01, true, false), 0, 0x61);
        assertEquals(Errno.EWOULDBLOCK.neg(), t.chip.kvmArchSetIrqInatomic(logical, 0, 1, false));
        assertEquals(1, t.chip.signalMsi(msiAddr(0x01, true, false), 0, 0x61, 0, 0), "slow path: flat APIC 0 matches");
        assertTrue(t.apic(0).irrTest(0x61));
    }

    // kvm_apic_map_get_dest_lapic: all logical APICs software-disabled -> handled, nobody (0)
    @Test
    void logicalDest_allSoftwareDisabled_isZero() {
        IrqTestSupport reset = IrqTestSupport.kernelIrqchip(2, GuestState.RESET);
        MsiRoute logical = new MsiRoute(1, msiAddr(0x01, true, false), 0, 0x61);
        assertEquals(0, reset.chip.kvmArchSetIrqInatomic(logical, 0, 1, false));
    }

    // kvm_vector_to_index: the (vector % n)-th set bit
    @Test
    void vectorToIndex_picksNthSetBit() {
        long[] bits = {0b1011_0100L};
        assertEquals(2, dev.kvmsim.kvm.irqchip.LapicDelivery.vectorToIndex(0, 4, bits));
        assertEquals(4, dev.kvmsim.kvm.irqchip.LapicDelivery.vectorToIndex(1, 4, bits));
        assertEquals(7, dev.kvmsim.kvm.irqchip.LapicDelivery.vectorToIndex(3, 4, bits));
        assertEquals(2, dev.kvmsim.kvm.irqchip.LapicDelivery.vectorToIndex(8, 4, bits));
    }

    // kvm.vector_hashing=0: lowest priority by apic_arb_prio (each LowPrio acceptance bumps it)
    @Test
    void lowestPriority_withoutVectorHashing_usesArbitrationPriority() {
        t.chip.delivery().setVectorHashing(false);
        for (int i = 0; i < 4; i++) {
            t.apic(i).regWrite(APIC_LDR, (1 << i) << 24);
        }
        for (int n = 0; n < 4; n++) {
            t.chip.signalMsi(msiAddr(0x0f, true, false), 0, msiData(0x70 + n, 1, false), 0, 0);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(1, t.apic(i).arbPrio(), "round robin through arb prio");
        }
    }
}
