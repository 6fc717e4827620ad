package dev.kvmsim.kvm.irq;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.irqchip.LocalApic;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;

/** A VM-shaped fixture: a simulation recording trace events, a KvmIrqchip and helpers. */
final class IrqTestSupport {
    final Simulation sim = new Simulation(1);
    final List<TraceEvent> events = new ArrayList<>();
    final Kernel kernel = new Kernel(sim, CostModel.defaults());
    final KvmIrqchip chip = new KvmIrqchip(kernel);
    final int[] kicks = new int[64];
    final int[] posted = new int[64];

    IrqTestSupport() {
        sim.setTraceSink(events::add);
    }

    /** KVM_CREATE_IRQCHIP, then {@code n} vCPUs in the booted guest state. */
    static IrqTestSupport kernelIrqchip(int vcpus, GuestState state) {
        IrqTestSupport t = new IrqTestSupport();
        if (t.chip.createIrqchip(0) != 0) {
            throw new AssertionError("create");
        }
        t.chip.setGuestState(state);
        t.addVcpus(vcpus);
        return t;
    }

    void addVcpus(int n) {
        int base = chip.lapics().size();
        for (int i = 0; i < n; i++) {
            int id = base + i;
            LocalApic apic = chip.createLapic(id);
            apic.attachVcpu(() -> kicks[id]++, () -> posted[id]++);
        }
    }

    LocalApic apic(int i) { return chip.lapics().get(i); }

    /** The rendered trace lines "event: fields". */
    List<String> trace() {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events) {
            out.add(e.event() + ": " + e.fields());
        }
        return out;
    }

    /** MSI address for a physical destination. */
    static int msiAddr(int dest, boolean logical, boolean rh) {
        return 0xFEE00000 | (dest << 12) | (logical ? 1 << 2 : 0) | (rh ? 1 << 3 : 0);
    }

    /** MSI data word. */
    static int msiData(int vector, int mode, boolean level) {
        return vector | (mode << 8) | (level ? 1 << 15 : 0);
    }
}
