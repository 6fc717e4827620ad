package dev.kvmsim.cli.explain;

import dev.kvmsim.cli.trace.TaskIds;
import dev.kvmsim.cli.trace.TraceFields;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.cost.CostDescription;
import dev.kvmsim.kvm.cost.CostModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The narration's view of the sim-kvm cost model: for each step, the named costs that may be
 * spent before it, following docs/architecture.md's notification path (an exit's first step pays
 * {@code vmx.exit}; bus dispatch {@code exit.mmio}/{@code exit.pio}; the instruction decode
 * {@code exit.mmio_emulate}; a woken vhost worker {@code vhost.wakeup}; an MSI
 * {@code irq.msi_deliver}; a halted vCPU {@code vcpu.halt_poll_wakeup} (polled) or
 * {@code vcpu.halt_wakeup} (blocked); the entry {@code vmx.entry}
 * ...). The narration keeps only the costs whose sum matches the time actually simulated.
 */
public final class KvmCostCatalog implements CostCatalog {
    private final Map<String, CostDescription> costs = new LinkedHashMap<>();

    /** The catalog of {@code model} (the defaults with the run's overrides applied). */
    public KvmCostCatalog(CostModel model) {
        for (CostDescription d : model.describe()) {
            costs.put(d.name(), d);
        }
    }

    @Override
    public double meanNs(String cost) {
        CostDescription d = costs.get(cost);
        return d == null ? Double.NaN : d.meanNs();
    }

    @Override
    public boolean estimate(String cost) {
        CostDescription d = costs.get(cost);
        return d != null && d.estimate() && !d.overridden();
    }

    @Override
    public String describe(String cost) {
        CostDescription d = costs.get(cost);
        if (d == null) {
            return cost;
        }
        String cycles = d.overridden() ? "" : String.format(Locale.ROOT, " (%,d cycles)", d.cycles());
        String kind = d.overridden() ? "set by this run; default: " + d.source() : d.source();
        return d.name() + " = " + d.value() + cycles + ": " + kind;
    }

    /** The cited costs, one described per line, indented. */
    public String sources(Set<String> cited) {
        StringBuilder sb = new StringBuilder();
        for (String c : cited) {
            sb.append("  ").append(describe(c)).append('\n');
        }
        return sb.toString();
    }

    @Override
    public List<String> candidates(TraceEvent e, TraceEvent previousOfTask) {
        List<String> out = new ArrayList<>(3);
        boolean vcpu = TaskIds.vcpuIndex(e.task()) >= 0;
        if (vcpu && previousOfTask != null && previousOfTask.event().equals("kvm_exit")) {
            String reason = TraceFields.exitReason(previousOfTask.fields());
            if (reason.equals("HLT")) {
                out.add("exit.hlt");
                // woken while KVM halt-polls, or after the vCPU thread blocked (kvm_vcpu_halt)
                out.add("vcpu.halt_poll_wakeup");
                out.add("vcpu.halt_wakeup");
            } else {
                out.add("vmx.exit");
            }
            if (reason.equals("MSR_WRITE") || reason.equals("APIC_WRITE")) {
                out.add("exit.eoi_msr");
            }
        }
        String own = own(e);
        if (own != null) {
            out.add(own);
        }
        return out;
    }

    /** The cost of the step itself, or null. */
    private static String own(TraceEvent e) {
        String task = e.task();
        switch (e.event()) {
            case "kvm_exit":
                return TraceFields.exitReason(e.fields()).equals("EXTERNAL_INTERRUPT") ? "vcpu.kick_ipi" : null;
            case "kvm_entry":
                return "vmx.entry";
            case "kvm_mmio":
                return "exit.mmio_emulate";
            case "kvm_fast_mmio":
                return "exit.fast_mmio";
            case "kvm_pio":
                return "exit.pio";
            case "kvm_io_bus_write":
                // a PIO exit's handling is already named by its kvm_pio step
                return e.fields().contains("PIO") || e.fields().startsWith("pio") || e.fields().contains("FAST_MMIO")
                        ? null : "exit.mmio";
            case "ioeventfd_write":
                return e.fields().contains("(datamatch") ? "ioeventfd.datamatch" : null;
            case "kvm_userspace_exit":
                // KVM_EXIT_IOAPIC_EOI is charged as the PIO round trip (see docs/costs.md)
                return e.fields().contains("KVM_EXIT_IO (") || e.fields().contains("KVM_EXIT_IOAPIC_EOI")
                        ? "userspace.pio" : "userspace.mmio";
            case "eventfd_signal":
                return "eventfd.signal";
            case "task_wakeup":
                if (e.fields().endsWith("(seen while busy-polling: no sleep)")) {
                    return "thread.poll_wakeup"; // a busy-polling host thread (vhost busyloop, iothread polling)
                }
                if (TaskIds.vcpuIndex(task) >= 0) {
                    return "vcpu.halt_wakeup";
                }
                if (task.startsWith("kworker")) {
                    return "wq.kworker_wakeup";
                }
                return task.startsWith("vhost") ? "vhost.wakeup" : "iothread.wakeup";
            case "host_thread_signal":
                return "scenario:the thread's service time, threads[].service in the scenario";
            case "host_thread_read":
                return task.startsWith("vhost") ? null : "syscall.read";
            case "workqueue_execute_start":
                return "wq.kworker_wakeup";
            case "workqueue_execute_end":
                return "wq.work_item";
            case "irqfd_inject":
            case "kvm_set_irq":
                return "irqfd.inject";
            case "kvm_inj_virq":
                return "entry.inject_virq";
            case "guest_irq_handler":
                return "guest.irq_handler";
            default:
                return null;
        }
    }
}
