package dev.kvmsim.kvm.vcpu;

import dev.kvmsim.core.Simulation;
import dev.kvmsim.core.trace.MemoryTraceSink;
import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.kvm.cost.CostModel;
import dev.kvmsim.kvm.iobus.KvmBus;
import dev.kvmsim.kvm.iobus.KvmIoDevice;
import dev.kvmsim.kvm.ioeventfd.KvmIoeventfd;
import dev.kvmsim.kvm.trace.KvmEntry;
import dev.kvmsim.kvm.trace.KvmExit;
import dev.kvmsim.kvm.trace.KvmFastMmio;
import dev.kvmsim.kvm.trace.KvmInjVirq;
import dev.kvmsim.kvm.trace.KvmMmio;
import dev.kvmsim.kvm.trace.KvmPio;
import dev.kvmsim.kvm.trace.KvmUserspaceExit;
import dev.kvmsim.kvm.vm.KvmVm;
import dev.kvmsim.kvm.vm.VmOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/kernel-model.md#x86-exits, and interrupt injection. */
class VcpuTest {
    private static final long A = 0xfe003000L;
    private final Simulation sim = new Simulation(3);
    private final MemoryTraceSink trace = new MemoryTraceSink();
    private KvmVm vm;
    private FakeLapic lapic;

    private Vcpu setUp(boolean apicv, GuestAction... program) {
        sim.setTraceSink(trace);
        vm = new KvmVm(sim, CostModel.defaults(), new VmOptions(1, apicv));
        lapic = new FakeLapic();
        vm.setLapicFactory(v -> {
            lapic.vcpu = v;
            return lapic;
        });
        vm.createVcpus();
        Vcpu v = vm.vcpu(0);
        v.setProgram(List.of(program));
        vm.startVcpus();
        return v;
    }

    private List<String> events() {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : trace.events()) {
            if (e.tracepoint()) {
                out.add(e.event());
            }
        }
        return out;
    }

    private int fd(String name) {
        return vm.fds().eventfd2(name, 0, 0);
    }

    @Test
    void mmioWriteAbsorbedByIoeventfd_tracesExitMmioEntryWithoutUserspace() {
        // emulated MMIO ioeventfd hit: kvm_exit(EPT_MISCONFIG) -> kvm_mmio write -> kvm_entry
        Vcpu v = setUp(false, GuestAction.MmioWrite.of(0, A, 4, 1));
        vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, fd("k"), false));
        sim.run();
        assertEquals(List.of("kvm_exit", "kvm_mmio", "kvm_entry"), events().subList(0, 3));
        assertEquals("mmio write len 4 gpa 0xfe003000 val 0x1", trace.eventsOf(KvmMmio.class).get(0).fields());
        assertTrue(trace.eventsOf(KvmExit.class).get(0).fields().startsWith("vcpu 0 reason EPT_MISCONFIG rip 0x"));
        assertEquals(1, v.actionCounts(0).kernel());
        assertTrue(trace.eventsOf(KvmUserspaceExit.class).isEmpty());
    }

    @Test
    void lenZeroMmioIoeventfd_takesTheFastPathWithoutDecode() {
        // handle_ept_misconfig: KVM_FAST_MMIO_BUS with a len-0 key -> kvm_fast_mmio, no kvm_mmio
        Vcpu v = setUp(false, GuestAction.MmioWrite.of(0, A, 4, 1));
        int f = fd("k");
        vm.ioeventfd(KvmIoeventfd.wildcard(A, 0, f, false));
        sim.run();
        assertEquals(List.of("kvm_exit", "kvm_fast_mmio", "kvm_entry"), events().subList(0, 3));
        assertEquals("fast mmio at gpa 0xfe003000", trace.eventsOf(KvmFastMmio.class).get(0).fields());
        assertEquals(1, vm.fds().eventfd(f).count());
        assertEquals(1, v.exits(ExitReason.EPT_MISCONFIG));
    }

    @Test
    void unhandledMmioWrite_exitsToUserspaceAsKvmExitMmio() {
        Vcpu v = setUp(false, GuestAction.MmioWrite.of(0, A, 4, 1));
        sim.run();
        assertEquals(List.of("kvm_exit", "kvm_mmio", "kvm_userspace_exit", "kvm_entry"), events().subList(0, 4));
        assertEquals("reason KVM_EXIT_MMIO (6)", trace.eventsOf(KvmUserspaceExit.class).get(0).fields());
        assertEquals(1, v.userspaceExits(UserspaceExitKind.MMIO));
        assertEquals(1, vm.userspaceVmm().exits(k -> k.addr() == A && k.len() == 4 && k.data() == 1));
    }

    @Test
    void pioWrite_handledOrExitsAsKvmExitIo() {
        Vcpu v = setUp(false, GuestAction.PioWrite.of(0, 0x510, 2, 7), GuestAction.PioWrite.of(1, 0x511, 1, 7));
        vm.ioeventfd(KvmIoeventfd.wildcard(0x510, 2, fd("k"), true));
        sim.run();
        assertEquals(List.of("kvm_exit", "kvm_pio", "kvm_entry", "kvm_exit", "kvm_pio", "kvm_userspace_exit", "kvm_entry"),
                events().subList(0, 7));
        assertEquals("pio_write at 0x510 size 2 count 1 val 0x7 ", trace.eventsOf(KvmPio.class).get(0).fields());
        assertEquals("reason KVM_EXIT_IO (2)", trace.eventsOf(KvmUserspaceExit.class).get(0).fields());
        assertEquals(2, v.exits(ExitReason.IO_INSTRUCTION));
        assertEquals(1, v.actionCounts(0).kernel());
        assertEquals(1, v.actionCounts(1).userspace());
        // info1 carries the exit qualification: size-1 | port << 16
        assertTrue(trace.eventsOf(KvmExit.class).get(0).fields().contains("info1 0x0000000005100001"));
    }

    @Test
    void sixteenByteStore_isSplitIntoTwoChunks() {
        // vcpu_mmio_write: chunks of min(len, 8); the first unhandled chunk exits with the rest
        Vcpu v = setUp(false, new GuestAction.MmioWrite(0, A, 16, 0x1111, 0x2222, GuestAction.Expectation.NONE));
        List<Long> seen = new ArrayList<>();
        vm.bus(KvmBus.MMIO).register(A, 8, new KvmIoDevice() {
            @Override
            public int write(int vcpu, long addr, int len, long value) {
                seen.add(addr);
                seen.add((long) len);
                seen.add(value);
                return 0;
            }
        });
        sim.run();
        // first chunk {A, 8, 0x1111} handled in the kernel; the second {A+8, 8, 0x2222} goes to userspace
        assertEquals(List.of(A, 8L, 0x1111L), seen);
        assertEquals(1, v.userspaceExits(UserspaceExitKind.MMIO));
        assertEquals(1, vm.userspaceVmm().exits(k -> k.addr() == A + 8 && k.len() == 8 && k.data() == 0x2222));
        assertEquals("mmio write len 16 gpa 0xfe003000 val 0x1111", trace.eventsOf(KvmMmio.class).get(0).fields());
    }

    @Test
    void sixteenByteStoreNobodyTakes_exitsTwiceEightBytesEach() {
        // complete_emulated_mmio hands a 16-byte fragment to userspace 8 bytes at a time
        Vcpu v = setUp(false, new GuestAction.MmioWrite(0, A, 16, 0x1111, 0x2222, GuestAction.Expectation.NONE));
        sim.run();
        assertEquals(2, v.userspaceExits(UserspaceExitKind.MMIO));
        assertEquals(1, v.exits(ExitReason.EPT_MISCONFIG));
        assertEquals(1, v.actionCounts(0).userspace());
    }

    @Test
    void storeCrossingAPage_isTwoOnePageAccesses() {
        // emulator_read_write: an access crossing a page is split; each part traces kvm_mmio
        setUp(false, new GuestAction.MmioWrite(0, 0xfe003ffcL, 8, 0x8877665544332211L, 0, GuestAction.Expectation.NONE));
        sim.run();
        List<KvmMmio> m = trace.eventsOf(KvmMmio.class);
        assertEquals(2, m.size());
        assertEquals("mmio write len 4 gpa 0xfe003ffc val 0x44332211", m.get(0).fields());
        assertEquals("mmio write len 4 gpa 0xfe004000 val 0x88776655", m.get(1).fields());
    }

    @Test
    void ioapicRedirect_isFourGuestWritesHighDwordFirst() {
        List<long[]> writes = new ArrayList<>();
        setUp(false, new GuestAction.IoapicRedirect(3, 0x31, GuestAction.Trigger.LEVEL, 2, GuestAction.DestMode.PHYSICAL, false));
        vm.bus(KvmBus.MMIO).register(0xfec00000L, 0x100, (vcpu, addr, len, value) -> {
            writes.add(new long[] {addr, value});
            return 0;
        });
        sim.run();
        assertEquals(4, writes.size());
        assertEquals(List.of(0xfec00000L, 0x17L), List.of(writes.get(0)[0], writes.get(0)[1]));   // IOREGSEL = 0x11 + 2*3
        assertEquals(List.of(0xfec00010L, 0x0200_0000L), List.of(writes.get(1)[0], writes.get(1)[1])); // dest 2 in 31:24
        assertEquals(List.of(0xfec00000L, 0x16L), List.of(writes.get(2)[0], writes.get(2)[1]));
        assertEquals(List.of(0xfec00010L, 0x8031L), List.of(writes.get(3)[0], writes.get(3)[1])); // level | vector
    }

    @Test
    void kickDuringCompute_externalInterruptExitInjectionAndComputeResumes() {
        Vcpu v = setUp(false, new GuestAction.Compute(100_000), GuestAction.PioWrite.of(0, 0x600, 1, 0));
        sim.schedule(10_000, () -> lapic.deliver(0x31));
        sim.run();
        assertEquals(1, v.exits(ExitReason.EXTERNAL_INTERRUPT));
        assertEquals(1, v.delivered(0x31));
        assertEquals(1, v.exits(ExitReason.MSR_WRITE));
        assertEquals(1, lapic.eois);
        assertEquals("IRQ 0x31", trace.eventsOf(KvmInjVirq.class).get(0).fields());
        KvmEntry inj = trace.eventsOf(KvmEntry.class).get(0);
        assertTrue(inj.fields().contains("intr_info 0x80000031"), inj.fields());
        // the compute continued for what remained: the PIO exit comes after 100us of guest time
        KvmExit pioExit = trace.eventsOf(KvmExit.class).stream().filter(e -> e.reason().equals("IO_INSTRUCTION")).findFirst().orElseThrow();
        assertTrue(pioExit.time() > 100_000);
    }

    @Test
    void cli_keepsInterruptsPendingUntilSti() {
        Vcpu v = setUp(false, new GuestAction.Cli(), new GuestAction.Compute(50_000), new GuestAction.Sti(),
                new GuestAction.Compute(50_000));
        sim.schedule(10_000, () -> lapic.deliver(0x31));
        sim.schedule(20_000, () -> lapic.deliver(0x31)); // merges in IRR
        sim.runUntil(45_000);
        assertEquals(0, v.delivered(0x31));
        sim.run();
        assertEquals(1, v.delivered(0x31));
        assertEquals(1, v.exits(ExitReason.INTERRUPT_WINDOW));
        KvmInjVirq inj = trace.eventsOf(KvmInjVirq.class).get(0);
        assertTrue(inj.time() >= 50_000);
    }

    @Test
    void waitIrq_haltsUntilTheVectorIsTaken() {
        Vcpu v = setUp(false, new GuestAction.WaitIrq(0x32, -1), GuestAction.PioWrite.of(0, 0x600, 1, 0));
        sim.schedule(10_000, () -> lapic.deliver(0x31));
        sim.schedule(50_000, () -> lapic.deliver(0x32));
        sim.run();
        assertEquals(1, v.delivered(0x31));
        assertEquals(1, v.delivered(0x32));
        assertTrue(v.exits(ExitReason.HLT) >= 2);
        KvmExit pioExit = trace.eventsOf(KvmExit.class).stream().filter(e -> e.reason().equals("IO_INSTRUCTION")).findFirst().orElseThrow();
        assertTrue(pioExit.time() > 50_000);
    }

    @Test
    void waitIrq_timeoutEndsTheWait() {
        Vcpu v = setUp(false, new GuestAction.WaitIrq(0x32, 20_000), GuestAction.PioWrite.of(0, 0x600, 1, 0));
        sim.run();
        assertEquals(0, v.deliveredTotal());
        KvmExit pioExit = trace.eventsOf(KvmExit.class).stream().filter(e -> e.reason().equals("IO_INSTRUCTION")).findFirst().orElseThrow();
        assertTrue(pioExit.time() >= 20_000);
        assertEquals(1, v.userspaceExits(UserspaceExitKind.IO));
    }

    @Test
    void idleVcpu_takesEveryInterrupt() {
        Vcpu v = setUp(false);
        for (int i = 1; i <= 5; i++) {
            sim.schedule(i * 100_000L, () -> lapic.deliver(0x40));
        }
        sim.run();
        assertEquals(5, v.delivered(0x40));
        assertEquals(VcpuState.IDLE, v.state());
        assertTrue(v.interruptFlag());
    }

    @Test
    void notifyToIrq_measuredFromTheEarliestOutstandingIoeventfdWrite() {
        Vcpu v = setUp(false, GuestAction.MmioWrite.of(0, A, 4, 1), GuestAction.MmioWrite.of(1, A, 4, 1),
                new GuestAction.WaitIrq(0x31, -1));
        vm.ioeventfd(KvmIoeventfd.wildcard(A, 4, fd("k"), false));
        sim.schedule(200_000, () -> lapic.deliver(0x31));
        sim.run();
        var lat = sim.stats().latency("notify_to_irq");
        assertEquals(1, lat.count());
        // the first write was absorbed a little after t=0; the handler ran a little after 200us
        assertTrue(lat.max() > 200_000 - 10_000 && lat.max() < 260_000, "latency " + lat.max());
        assertEquals(1, sim.stats().latency("notify_to_irq.vcpu0").count());
        assertEquals(1, v.delivered(0x31));
    }

    @Test
    void postedInterrupt_deliveredWithoutAnExitWhenRunningWithIf1() {
        Vcpu v = setUp(true, new GuestAction.Compute(100_000));
        lapic.eoiExits = false;
        sim.schedule(10_000, () -> lapic.deliver(0x31));
        sim.run();
        assertEquals(1, v.delivered(0x31));
        assertEquals(0, v.exits(ExitReason.EXTERNAL_INTERRUPT));
        assertEquals(0, v.exits(ExitReason.EOI_INDUCED));
        assertEquals(0, v.exits(ExitReason.MSR_WRITE));
        assertTrue(trace.eventsOf(KvmInjVirq.class).isEmpty());
        assertEquals(1, lapic.eois);
    }

    @Test
    void apicvEoiForAnIoapicVector_isAnEoiInducedExit() {
        Vcpu v = setUp(true, new GuestAction.Compute(100_000));
        sim.schedule(10_000, () -> lapic.deliver(0x31));
        sim.run();
        assertEquals(1, v.exits(ExitReason.EOI_INDUCED));
        assertFalse(v.exits(ExitReason.MSR_WRITE) > 0);
    }

    @Test
    void exitToEntryLatency_isRecordedPerReason() {
        setUp(false, GuestAction.PioWrite.of(0, 0x510, 2, 7));
        sim.run();
        var r = sim.stats().latency("exit_to_entry.IO_INSTRUCTION");
        assertEquals(1, r.count());
        assertTrue(r.max() > 0);
    }

    @Test
    void valueBytes_extractsLittleEndianBytesAcrossTheTwoHalves() {
        var w = new GuestAction.MmioWrite(0, A, 16, 0x8877665544332211L, 0x00ffeeddccbbaa99L, GuestAction.Expectation.NONE);
        assertEquals(0x2211L, Vcpu.valueBytes(w, 0, 2));
        assertEquals(0xaa99887766554433L, Vcpu.valueBytes(w, 2, 8));
        assertEquals(0x00ffeeddccbbaa99L, Vcpu.valueBytes(w, 8, 8));
        assertEquals(0xbbL, Vcpu.valueBytes(w, 10, 1));
    }
}
