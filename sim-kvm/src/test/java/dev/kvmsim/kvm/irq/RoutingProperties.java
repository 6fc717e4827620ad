package dev.kvmsim.kvm.irq;

import static org.junit.jupiter.api.Assertions.*;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.kvm.Errno;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.irqchip.LapicIrq;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.trace.KvmMsiSetIrq;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of KVM_SET_GSI_ROUTING (accepted iff a plain reading of the kernel's rules accepts;
 * a rejection leaves the old table) and of kvm_msi_to_lapic_irq.
 */
class RoutingProperties {

    @Provide
    Arbitrary<RoutingEntry> entry() {
        Arbitrary<Integer> gsi = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(0, 6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(4095, 4096, -1)));
        Arbitrary<Integer> flags = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(1, 2, 3)));
        Arbitrary<RoutingEntry> irqchip = Combinators.combine(gsi, Arbitraries.integers().between(0, 3),
                Arbitraries.of(0, 3, 7, 8, 15, 23, 24, -1), flags).as(IrqchipRoute::new);
        Arbitrary<RoutingEntry> msi = Combinators.combine(gsi, Arbitraries.integers(), Arbitraries.of(0, 1, 0x100, 0x1ff),
                Arbitraries.integers(), flags).as((g, lo, hi, d, f) -> new MsiRoute(g, lo, hi, d, f, 0));
        Arbitrary<RoutingEntry> raw = Combinators.combine(gsi, Arbitraries.of(0, 3, 4, 5, 6, 1000), flags).as(RawRoute::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, irqchip), net.jqwik.api.Tuple.of(3, msi),
                net.jqwik.api.Tuple.of(1, raw));
    }

    @Provide
    Arbitrary<List<RoutingEntry>> entries() {
        return entry().list().ofMaxSize(8);
    }

    /** The rules of kvm_set_irq_routing / setup_routing_entry / kvm_set_routing_entry, read plainly. */
    static boolean referenceAccepts(List<RoutingEntry> es, boolean split, boolean x2apic) {
        for (RoutingEntry e : es) {
            if (Integer.toUnsignedLong(e.gsi()) >= 4096) {
                return false;
            }
        }
        List<RoutingEntry> accepted = new ArrayList<>();
        for (RoutingEntry e : es) {
            if (e instanceof MsiRoute ? (e.flags() & ~1) != 0 : e.flags() != 0) {
                return false;
            }
            for (RoutingEntry a : accepted) {
                if (a.gsi() != e.gsi()) {
                    continue;
                }
                if (!(a instanceof IrqchipRoute ai) || !(e instanceof IrqchipRoute ei) || ai.irqchip() == ei.irqchip()) {
                    return false;
                }
            }
            if (e instanceof IrqchipRoute r) {
                long pin = Integer.toUnsignedLong(r.pin());
                boolean ok = !split && switch (r.irqchip()) {
                    case 0, 1 -> pin < 8;
                    case 2 -> pin < 24;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            } else if (e instanceof MsiRoute m) {
                if (x2apic && (m.addressHi() & 0xff) != 0) {
                    return false;
                }
            } else {
                return false;
            }
            accepted.add(e);
        }
        return true;
    }

    @Property(tries = 400)
    void setGsiRouting_acceptedIffReferenceAccepts(@ForAll("entries") List<RoutingEntry> es,
                                                   @ForAll boolean split, @ForAll boolean x2apic) {
        KvmIrqchip chip = new KvmIrqchip(new Kernel(new Simulation(1), CostModel.defaults()));
        assertEquals(0, split ? chip.enableSplitIrqchip(24, 0) : chip.createIrqchip(0));
        chip.setX2apicFormat(x2apic);
        IrqRoutingTable before = chip.routing();
        int r = chip.setGsiRouting(es, 0);
        boolean expect = referenceAccepts(es, split, x2apic);
        net.jqwik.api.statistics.Statistics.collect(expect ? "accepted" : "rejected");
        assertEquals(expect ? 0 : Errno.EINVAL.neg(), r, es.toString());
        if (!expect) {
            assertSame(before, chip.routing(), "the old table stays in force");
            return;
        }
        // accepted: every entry is on its GSI, newest first; chip[][] holds the last GSI per pin
        int maxGsi = 0;
        for (RoutingEntry e : es) {
            maxGsi = Math.max(maxGsi, e.gsi());
        }
        assertEquals(maxGsi + 1, chip.routing().nrRtEntries());
        for (int gsi = 0; gsi <= maxGsi; gsi++) {
            List<RoutingEntry> want = new ArrayList<>();
            for (RoutingEntry e : es) {
                if (e.gsi() == gsi) {
                    want.add(0, e);
                }
            }
            RoutingEntry[] got = chip.kvmIrqMapGsi(gsi);
            assertEquals(want.size(), got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(want.get(i).kind(), got[i].kind());
            }
        }
        for (RoutingEntry e : es) {
            if (e instanceof IrqchipRoute ir) {
                int pin = ir.irqchip() == 1 ? ir.pin() + 8 : ir.pin();
                int last = -1;
                for (RoutingEntry o : es) {
                    if (o instanceof IrqchipRoute oi && oi.irqchip() == ir.irqchip() && oi.pin() == ir.pin()) {
                        last = oi.gsi();
                    }
                }
                assertEquals(last, chip.kvmIrqMapChipPin(ir.irqchip(), pin));
            }
        }
    }

    @Property(tries = 400)
    void setGsiRouting_ioctlFlags_alwaysEinval(@ForAll("entries") List<RoutingEntry> es, @ForAll int flags) {
        net.jqwik.api.Assume.that(flags != 0);
        KvmIrqchip chip = new KvmIrqchip(new Kernel(new Simulation(1), CostModel.defaults()));
        chip.createIrqchip(0);
        IrqRoutingTable before = chip.routing();
        assertEquals(Errno.EINVAL.neg(), chip.setGsiRouting(es, flags));
        assertSame(before, chip.routing());
    }

    // kvm_msi_to_lapic_irq: every field from its bits (asm/msi.h layout)
    @Property(tries = 1000)
    void msiDecode_fields(@ForAll int addressLo, @ForAll int addressHi, @ForAll int data, @ForAll boolean x2apic) {
        LapicIrq irq = MsiDecode.decode(addressLo, addressHi, data, x2apic);
        assertEquals(data % 256 < 0 ? data % 256 + 256 : data % 256, irq.vector());
        assertEquals(((data >> 8) & 7) * 0x100, irq.deliveryMode());
        assertEquals((addressLo & 4) == 4 ? 0x800 : 0, irq.destMode());
        assertEquals((addressLo & 8) == 8, irq.msiRedirHint());
        assertEquals((data & 0x8000) == 0x8000, irq.trigMode());
        assertTrue(irq.level());
        assertEquals(0, irq.shorthand());
        long dest = (Integer.toUnsignedLong(addressLo) / 4096) % 256;
        if (x2apic) {
            dest += (Integer.toUnsignedLong(addressHi) / 256) * 256;
        }
        assertEquals(dest, Integer.toUnsignedLong(irq.destId()));
        // the kvm_msi_set_irq trace prints the same destination
        KvmMsiSetIrq ev = new KvmMsiSetIrq(0, "t", 0, MsiDecode.traceAddress(addressLo, addressHi, x2apic), data);
        assertTrue(ev.fields().startsWith("dst " + Long.toHexString(dest) + " vec " + irq.vector() + " ("), ev.fields());
    }
}
