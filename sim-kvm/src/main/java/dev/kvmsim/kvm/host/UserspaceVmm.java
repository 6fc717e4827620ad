package dev.kvmsim.kvm.host;

import dev.kvmsim.kvm.cost.Cost;
import dev.kvmsim.kvm.kernel.Kernel;
import dev.kvmsim.kvm.iobus.CoalescedMmioRing;
import dev.kvmsim.kvm.vcpu.UserspaceExitHandler;
import dev.kvmsim.kvm.vcpu.UserspaceExitKind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * The userspace VMM's vCPU loop (QEMU kvm_cpu_exec): after every KVM_RUN return it drains the
 * coalesced-MMIO ring (kvm_flush_coalesced_mmio_buffer), handles the KVM_EXIT_MMIO / KVM_EXIT_IO
 * write or the KVM_EXIT_IOAPIC_EOI (split irqchip; {@code data} is run->eoi.vector) by counting
 * it (the emulated device itself is not modelled) and calls KVM_RUN again.
 *
 * <p>Caveats: single simulation thread; the cost of one round trip is {@code userspace.mmio}
 * or {@code userspace.pio}, drawn from the stream {@code "vmm.costs"}.
 */
public final class UserspaceVmm implements UserspaceExitHandler {
    /** One kind of exit, as scenarios narrow {@code userspace_exits}: kind, address (port), length, data. */
    public record ExitKey(UserspaceExitKind kind, long addr, int len, long data) { }

    private final Kernel env;
    private final CoalescedMmioRing ring;
    private final SplittableRandom rnd;
    private final Map<ExitKey, Long> exits = new LinkedHashMap<>();
    private final long[] byKind = new long[UserspaceExitKind.values().length];
    private long coalescedDrained;

    public UserspaceVmm(Kernel env, CoalescedMmioRing ring) {
        this.env = env;
        this.ring = ring;
        this.rnd = env.sim().random("vmm.costs");
    }

    @Override
    public long handleWrite(int vcpu, UserspaceExitKind kind, long addr, int len, long data) {
        coalescedDrained += ring.drain((a, l, d, pio) -> { });
        byKind[kind.ordinal()]++;
        exits.merge(new ExitKey(kind, addr, len, data), 1L, Long::sum);
        // KVM_EXIT_IOAPIC_EOI: the VMM's IOAPIC EOI broadcast is a plain KVM_RUN round trip like a PIO exit
        Cost c = kind == UserspaceExitKind.MMIO ? Cost.USERSPACE_MMIO : Cost.USERSPACE_PIO;
        return env.charge(c, rnd);
    }

    /** Exits of this kind handled. */
    public long exits(UserspaceExitKind kind) { return byKind[kind.ordinal()]; }

    /** All exits handled. */
    public long exits() {
        long s = 0;
        for (long n : byKind) {
            s += n;
        }
        return s;
    }

    /** Exits whose key satisfies {@code filter} (e.g. one address and length). */
    public long exits(Predicate<ExitKey> filter) {
        long s = 0;
        for (Map.Entry<ExitKey, Long> e : exits.entrySet()) {
            if (filter.test(e.getKey())) {
                s += e.getValue();
            }
        }
        return s;
    }

    /** Every distinct exit with its count, in first-seen order. */
    public Map<ExitKey, Long> exitCounts() {
        return Collections.unmodifiableMap(exits);
    }

    /** Coalesced writes replayed from the ring so far. */
    public long coalescedDrained() { return coalescedDrained; }

    /** Drains the ring outside an exit (QEMU also flushes before device accesses); returns how many. */
    public int flushCoalesced() {
        int n = ring.drain((a, l, d, pio) -> { });
        coalescedDrained += n;
        return n;
    }
}
