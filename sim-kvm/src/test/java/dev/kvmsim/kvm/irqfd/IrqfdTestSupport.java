package dev.kvmsim.kvm.irqfd;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.eventfd.EventfdCtx;
import dev.kvmsim.kvm.eventfd.FdTable;
import dev.kvmsim.kvm.irq.GuestState;
import dev.kvmsim.kvm.irq.KvmIrqchip;
import dev.kvmsim.kvm.irqchip.Ioapic;
import dev.kvmsim.kvm.irqchip.LocalApic;
import dev.kvmsim.kvm.kernel.Kernel;
import java.util.ArrayList;
import java.util.List;

/** A VM-shaped fixture: kernel env, fd table, an irqchip with one booted vCPU APIC, irqfds. */
final class IrqfdTestSupport {
    final Simulation sim = new Simulation(1);
    final List<TraceEvent> events = new ArrayList<>();
    final Kernel env = new Kernel(sim, CostModel.defaults());
    final FdTable fds = new FdTable(env);
    final KvmIrqchip chip = new KvmIrqchip(env);
    final Irqfds irqfds;

    /** mode: "kernel", "split" or "none". */
    IrqfdTestSupport(String mode) {
        sim.setTraceSink(events::add);
        if (mode.equals("kernel")) {
            chip.createIrqchip(0);
        } else if (mode.equals("split")) {
            chip.enableSplitIrqchip(24, 0);
        }
        chip.setGuestState(GuestState.BOOTED);
        LocalApic apic = chip.createLapic(0);
        if (apic != null) {
            apic.attachVcpu(() -> { }, () -> { });
        }
        irqfds = new Irqfds(env, fds, chip);
    }

    IrqfdTestSupport() {
        this("kernel");
    }

    LocalApic apic() { return chip.lapics().get(0); }

    int eventfd(String name, long initial, int flags) {
        return fds.eventfd2(name, initial, flags);
    }

    EventfdCtx ctx(int fd) { return fds.eventfd(fd); }

    /** Rendered trace lines "event: fields" of real tracepoints only. */
    List<String> tracepoints() {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.tracepoint()) {
                out.add(e.event() + ": " + e.fields());
            }
        }
        return out;
    }

    long count(String event) {
        return events.stream().filter(e -> e.event().equals(event)).count();
    }

    static int msiAddr(int dest) {
        return 0xFEE00000 | (dest << 12);
    }

    static long edge(int vector) {
        return vector;
    }

    static long level(int vector) {
        return vector | Ioapic.TRIG_LEVEL;
    }
}
