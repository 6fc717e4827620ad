package dev.kvmsim.cli;

import dev.kvmsim.core.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-written event sequences shaped like the typical sequences of docs/kernel-model.md#tracepoints: an MMIO
 * doorbell absorbed by an ioeventfd, the vhost thread woken, its call eventfd waking an irqfd
 * that injects an MSI, the guest handler's EOI.
 */
public final class FakeTraces {
    private FakeTraces() { }

    /** One notification starting at {@code t0} on vcpu0; exit 600ns, host service 3us. */
    public static List<TraceEvent> notification(long t0) {
        List<TraceEvent> l = new ArrayList<>();
        l.add(FakeEvent.tp(t0, "vcpu0", 0, "kvm_exit",
                "vcpu 0 reason EPT_MISCONFIG rip 0x1000 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000",
                "vmx_handle_exit"));
        l.add(FakeEvent.tp(t0 + 300, "vcpu0", 0, "kvm_mmio", "mmio write len 4 gpa 0xfe003000 val 0x1", "handle_ept_misconfig"));
        l.add(FakeEvent.model(t0 + 350, "vcpu0", 0, "kvm_io_bus_write",
                "mmio write at 0xfe003000 len 4 val 0x1: 1 of 1 range(s) in range; accepted by #0 ioeventfd kick0 mmio[0xfe003000..0xfe003003]",
                "__kvm_io_bus_write"));
        l.add(FakeEvent.model(t0 + 400, "vcpu0", 0, "ioeventfd_match", "ioeventfd kick0 accepts; wildcard", "ioeventfd_write"));
        l.add(FakeEvent.model(t0 + 450, "vcpu0", 0, "eventfd_signal",
                "kick0: count 0x0 -> 0x1, wake_up_locked_poll(EPOLLIN) over 1 waiter(s)", "eventfd_signal_mask"));
        l.add(FakeEvent.tp(t0 + 600, "vcpu0", 0, "kvm_entry",
                "vcpu 0, rip 0x1004 intr_info 0x00000000 error_code 0x00000000", "vmx_vcpu_run"));
        l.add(FakeEvent.model(t0 + 1500, "vhost-net", 1, "task_wakeup", "vhost-net runs again: kick0 readable", "try_to_wake_up"));
        l.add(FakeEvent.model(t0 + 1600, "vhost-net", 1, "host_thread_read", "vhost vhost-net read 1 from eventfd kick0", "eventfd_ctx_do_read"));
        l.add(FakeEvent.model(t0 + 1600, "vhost-net", 1, "host_thread_service_start", "vhost vhost-net services the request for 3000 ns", ""));
        l.add(FakeEvent.model(t0 + 4600, "vhost-net", 1, "host_thread_signal", "vhost vhost-net signals eventfd call0 (eventfd_signal)", "eventfd_signal"));
        l.add(FakeEvent.model(t0 + 4600, "vhost-net", 1, "eventfd_signal",
                "call0: count 0x0 -> 0x1, wake_up_locked_poll(EPOLLIN) over 1 waiter(s)", "eventfd_signal_mask"));
        l.add(FakeEvent.model(t0 + 4650, "vhost-net", 1, "irqfd_wakeup", "irqfd call0 gsi 24: EPOLLIN, MSI route cached, inject now", "irqfd_wakeup"));
        l.add(FakeEvent.tp(t0 + 4700, "vhost-net", 1, "kvm_msi_set_irq", "dst 0 vec 34 (Fixed|physical|edge)", "kvm_set_msi"));
        l.add(FakeEvent.tp(t0 + 4750, "vhost-net", 1, "kvm_apic_accept_irq", "apicid 0 vec 34 (Fixed|edge)", "__apic_accept_irq"));
        l.add(FakeEvent.tp(t0 + 5000, "vcpu0", 0, "kvm_exit",
                "vcpu 0 reason EXTERNAL_INTERRUPT rip 0x1010 info1 0x0000000000000000 info2 0x0000000000000000 intr_info 0x800000fb error_code 0x00000000 requests 0x0000000000000000",
                "vmx_handle_exit"));
        l.add(FakeEvent.tp(t0 + 5400, "vcpu0", 0, "kvm_inj_virq", "IRQ 0x22", "vmx_inject_irq"));
        l.add(FakeEvent.tp(t0 + 5500, "vcpu0", 0, "kvm_entry",
                "vcpu 0, rip 0x1010 intr_info 0x80000022 error_code 0x00000000", "vmx_vcpu_run"));
        l.add(FakeEvent.tp(t0 + 6500, "vcpu0", 0, "kvm_exit",
                "vcpu 0 reason APIC_WRITE rip 0x2000 info1 0x00000000000000b0 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000",
                "vmx_handle_exit"));
        l.add(FakeEvent.tp(t0 + 6700, "vcpu0", 0, "kvm_eoi", "apicid 0 vector 34", "apic_set_eoi"));
        l.add(FakeEvent.tp(t0 + 7000, "vcpu0", 0, "kvm_entry",
                "vcpu 0, rip 0x2004 intr_info 0x00000000 error_code 0x00000000", "vmx_vcpu_run"));
        return l;
    }

    /** A PIO write to port 0x510 absorbed in the kernel: exit at t0, entry at t0 + dur. */
    public static List<TraceEvent> pio(long t0, long dur, String task) {
        int vcpu = Integer.parseInt(task.substring(4));
        return List.of(
                FakeEvent.tp(t0, task, vcpu, "kvm_exit", "vcpu " + vcpu + " reason IO_INSTRUCTION rip 0x100 info1 0x0000000005100011 info2 0x0000000000000000 intr_info 0x00000000 error_code 0x00000000 requests 0x0000000000000000", "vmx_handle_exit"),
                FakeEvent.tp(t0 + 100, task, vcpu, "kvm_pio", "pio_write at 0x510 size 2 count 1 val 0x7 ", "emulator_pio_out"),
                FakeEvent.tp(t0 + dur, task, vcpu, "kvm_entry", "vcpu " + vcpu + ", rip 0x102 intr_info 0x00000000 error_code 0x00000000", "vmx_vcpu_run"));
    }
}
