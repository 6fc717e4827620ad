package dev.kvmsim.kvm.cost;

import java.util.Arrays;
import java.util.Optional;

/**
 * The named costs of the model, with their defaults in TSC cycles and where each figure comes
 * from. Names are stable (scenarios and {@code vm.costs} overrides use them); the enum exists
 * so the hot path looks a cost up by ordinal, never by string.
 *
 * <p>Published figures are from {@code docs/costs.md}; the split of a round trip into parts and
 * every figure marked {@link #estimate()} are this project's estimates. Figures "on top of"
 * another cost are meant to be added by the caller (for example an emulated MMIO write costs
 * {@link #VMX_EXIT} + {@link #EXIT_MMIO} + {@link #EXIT_MMIO_EMULATE} + {@link #VMX_ENTRY}).
 */
public enum Cost {
    /**
     * Hardware VM exit (world switch out). Estimate: half of the trivial exit+entry round trip
     * minus the cpuid handler (1,018-1,098 cycles, kvm-unit-tests x86/vmexit.c {@code cpuid}).
     */
    VMX_EXIT("vmx.exit", 500, true,
        "estimate: split of the cpuid exit+entry round trip of 1,018-1,098 cycles (kvm-unit-tests x86/vmexit.c, kvm list 2024)"),
    /** Hardware VM entry (VMRESUME back into the guest). Estimate, see {@link #VMX_EXIT}. */
    VMX_ENTRY("vmx.entry", 400, true,
        "estimate: split of the cpuid exit+entry round trip of 1,018-1,098 cycles (kvm-unit-tests x86/vmexit.c, kvm list 2024)"),
    /** handle_cpuid in the kernel; with exit and entry it adds up to the published cpuid round trip (~1,050). */
    EXIT_CPUID("exit.cpuid", 150, true,
        "estimate: cpuid round trip 1,018-1,098 cycles minus vmx.exit and vmx.entry"),
    /**
     * handle_io + kvm_fast_pio + PIO bus dispatch (kvm_io_bus_write). Derived: PIO write absorbed
     * by an ioeventfd, 1,762 cycles (QEMU pci-testdev 2013, portio-wildcard-eventfd), minus
     * vmx.exit, vmx.entry and eventfd.signal.
     */
    EXIT_PIO("exit.pio", 712, false,
        "derived: pci-testdev 2013 portio-wildcard-eventfd 1,762 cycles - vmx.exit - vmx.entry - eventfd.signal"),
    /**
     * handle_ept_misconfig when the FAST_MMIO bus takes the write (len-0 ioeventfd, no decode).
     * Kernel commit 68c3b4d1676d: "essentially as fast as PIO", so the exit.pio figure.
     */
    EXIT_FAST_MMIO("exit.fast_mmio", 712, false,
        "derived: kernel commit 68c3b4d1676d (fast MMIO about as fast as PIO), so exit.pio"),
    /**
     * EPT_MISCONFIG handling that goes through the MMIO page-fault path and MMIO bus dispatch,
     * without the instruction decode (see exit.mmio_emulate). Same derivation as exit.pio.
     */
    EXIT_MMIO("exit.mmio", 712, false,
        "derived: as exit.pio (pci-testdev 2013); the decode is exit.mmio_emulate"),
    /**
     * Instruction fetch, decode and emulation of an MMIO write (x86_emulate_instruction), on
     * top of exit.mmio. Derived: mmio-wildcard-eventfd 3,609 minus portio-wildcard-eventfd 1,762
     * (pci-testdev 2013). kvm-unit-tests 00bfecaa (2012) measured ~3,300 on older hardware;
     * the pci-testdev difference is used because it keeps the end-to-end MMIO figure.
     */
    EXIT_MMIO_EMULATE("exit.mmio_emulate", 1_847, false,
        "derived: pci-testdev 2013 mmio-wildcard-eventfd 3,609 - portio-wildcard-eventfd 1,762 (00bfecaa measured ~3,300 in 2012)"),
    /** Extra cost of a datamatch ioeventfd compare. Derived: portio datamatch 1,777 - wildcard 1,762. */
    IOEVENTFD_DATAMATCH("ioeventfd.datamatch", 15, false,
        "derived: pci-testdev 2013 portio-datamatch-eventfd 1,777 - portio-wildcard-eventfd 1,762 (MMIO: 76)"),
    /**
     * A PIO write with no in-kernel device: KVM_EXIT_IO to the VMM, its handling and the
     * re-entry (KVM_RUN again). Derived: portio-no-eventfd 5,287 - portio-wildcard-eventfd 1,762,
     * plus the eventfd_signal the no-eventfd case does not do.
     */
    USERSPACE_PIO("userspace.pio", 3_675, false,
        "derived: pci-testdev 2013 portio-no-eventfd 5,287 - portio-wildcard-eventfd 1,762 + eventfd.signal 150 (no signal without an ioeventfd)"),
    /**
     * An MMIO write with no in-kernel device: KVM_EXIT_MMIO to the VMM, its handling and the
     * re-entry. Derived: mmio-no-eventfd 8,796 - mmio-wildcard-eventfd 3,609, plus the
     * eventfd_signal the no-eventfd case does not do.
     */
    USERSPACE_MMIO("userspace.mmio", 5_337, false,
        "derived: pci-testdev 2013 mmio-no-eventfd 8,796 - mmio-wildcard-eventfd 3,609 + eventfd.signal 150 (no signal without an ioeventfd)"),
    /** eventfd_signal: lock, count++, walk the wait queue (no published figure). */
    EVENTFD_SIGNAL("eventfd.signal", 150, true, "estimate: no published figure (docs/costs.md)"),
    /** Wake-up of a task sleeping on a wait queue until it runs (try_to_wake_up + schedule). */
    SCHED_WAKEUP("sched.wakeup", 5_000, true, "estimate: no published figure"),
    /** A vhost worker woken by its kick eventfd until it runs. */
    VHOST_WAKEUP("vhost.wakeup", 7_500, true, "estimate: no published figure"),
    /**
     * A host thread that busy-polls its eventfd (vhost-net busyloop, a QEMU iothread's adaptive
     * polling) sees the event within one poll iteration, without being scheduled.
     */
    THREAD_POLL_WAKEUP("thread.poll_wakeup", 250, true, "estimate: no published figure"),
    /** A userspace iothread woken out of ppoll/epoll_wait until it runs. */
    IOTHREAD_WAKEUP("iothread.wakeup", 12_500, true, "estimate: no published figure"),
    /** read(2) on an eventfd: syscall entry, eventfd_read, exit. */
    SYSCALL_READ("syscall.read", 625, true, "estimate: no published figure"),
    /** write(2) on an eventfd: syscall entry, eventfd_write, exit. */
    SYSCALL_WRITE("syscall.write", 625, true, "estimate: no published figure"),
    /** A system-workqueue kworker woken by queue_work until it runs the item. */
    WQ_KWORKER_WAKEUP("wq.kworker_wakeup", 12_500, true,
        "estimate: no published figure (docs/costs.md); a public trace shows 14-78 us from kworker start to injection"),
    /** process_one_work overhead per work item. */
    WQ_WORK_ITEM("wq.work_item", 1_250, true, "estimate: no published figure"),
    /** irqfd_inject: kvm_set_irq level 1 and 0 through kvm_irq_map_gsi and the irqchips. */
    IRQFD_INJECT("irqfd.inject", 2_500, true, "estimate: no published figure"),
    /** MSI decode and kvm_irq_delivery_to_apic up to the APIC's IRR. */
    IRQ_MSI_DELIVER("irq.msi_deliver", 1_875, false,
        "published: 0.75-3.7 us per MSI in a public eBPF study of vhost and vCPU injection (lower bound taken)"),
    /** IPI kick of a running vCPU until it exits with EXTERNAL_INTERRUPT. */
    VCPU_KICK_IPI("vcpu.kick_ipi", 3_293, false,
        "published: IPI send to acknowledge, fastpath, 3,293 cycles (Skylake-SP, kvm list 2020)"),
    /** Wake-up of a halted vCPU thread (kvm_vcpu_kick of a blocked vCPU until it runs). */
    VCPU_HALT_WAKEUP("vcpu.halt_wakeup", 12_500, true,
        "estimate: no hardware-VMX figure; measured 20 us p50 on the kvm_pvm host (docs/costs.md)"),
    /**
     * Wake-up of a halted vCPU that is halt-polling (virt/kvm/kvm_main.c kvm_vcpu_halt): the
     * polling loop's kvm_vcpu_check_block sees the event and kvm_vcpu_halt returns to vcpu_run;
     * nothing is scheduled. The slept case is {@link #VCPU_HALT_WAKEUP}.
     */
    VCPU_HALT_POLL_WAKEUP("vcpu.halt_poll_wakeup", 500, true,
        "estimate: no hardware-VMX figure; on the kvm_pvm host an irqfd MSI reaches the guest handler in 1.8 us p50 while KVM polls vs 20 us asleep (docs/costs.md)"),
    /** Interrupt injection on VM entry (vmx_inject_irq, kvm_inj_virq). */
    ENTRY_INJECT_VIRQ("entry.inject_virq", 200, true, "estimate: no published figure"),
    /** The guest's interrupt handler body up to its EOI write. */
    GUEST_IRQ_HANDLER("guest.irq_handler", 2_500, true, "estimate: depends on the guest"),
    /** EOI write exit handling (x2APIC MSR_WRITE, apic_set_eoi), on top of exit and entry. */
    EXIT_EOI_MSR("exit.eoi_msr", 480, true,
        "estimate: vmcall round trip ~1,530 (Skylake-SP 2020) minus the cpuid round trip ~1,050"),
    /** In-kernel IOAPIC register access (ioapic_mmio_write/read), on top of the MMIO exit costs. */
    IOAPIC_MMIO("ioapic.mmio", 250, true, "estimate: no published figure"),
    /** HLT exit handling (kvm_emulate_halt) before the vCPU blocks, on top of exit costs. */
    EXIT_HLT("exit.hlt", 200, true, "estimate: no published figure");

    private final String id;
    private final long cycles;
    private final boolean estimate;
    private final String source;

    Cost(String id, long cycles, boolean estimate, String source) {
        this.id = id;
        this.cycles = cycles;
        this.estimate = estimate;
        this.source = source;
    }

    /** The stable dotted name ({@code exit.pio}). */
    public String id() { return id; }

    /** The default in TSC cycles. */
    public long cycles() { return cycles; }

    /** True when no published figure backs the default. */
    public boolean estimate() { return estimate; }

    /** Where the default comes from. */
    public String source() { return source; }

    /** The default in nanoseconds at {@code ghz} (cycles / GHz, rounded). */
    public long defaultNanos(double ghz) {
        return Math.round(cycles / ghz);
    }

    /** The cost with this stable name. */
    public static Optional<Cost> byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    @Override public String toString() { return id; }
}
