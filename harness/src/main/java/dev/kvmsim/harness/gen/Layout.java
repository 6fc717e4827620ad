package dev.kvmsim.harness.gen;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the harness puts things in guest memory: one RAM slot at {@link #base()}; the GDT
 * and TSS, the global clock and start flag; then one area per vCPU with its IDT, the
 * per-vector counters, the words the guest and the host exchange (state, resume address,
 * the write being executed, counters), its stack, its 256 interrupt handlers and its
 * program. The same offsets are written into the C program as {@code #define}s.
 */
public record Layout(long base, int vcpus) {
    public static final long GDT_OFF = 0x0;
    public static final long TSS_OFF = 0x100;
    public static final long G_CLOCK = 0x1000;
    public static final long G_STARTED = 0x1004;
    public static final long VCPU_AREA = 0x10000;
    public static final long VCPU_AREA_SIZE = 0x10000;
    // offsets within a vCPU's area
    public static final long V_IDT = 0x0;
    public static final long V_TAKEN = 0x800;
    public static final long V_CLAIMED = 0xC00;
    public static final long GS_RESUME = 0x1000;
    public static final long GS_STATE = 0x1004;
    public static final long GS_ACTION = 0x1008;
    public static final long GS_SEQ = 0x100C;
    public static final long GS_TOTAL_TAKEN = 0x1010;
    public static final long GS_TOTAL_CLAIMED = 0x1014;
    public static final long GS_WAIT_GEN = 0x1018;
    public static final long GS_TIMEOUT_GEN = 0x101C;
    public static final long GS_MMX = 0x1020;
    public static final long GS_WAIT_ID = 0x1028;
    public static final long V_REPEAT = 0x1100;
    public static final int MAX_REPEATS = 64;
    public static final long GS_EXECS = 0x2000;
    public static final int MAX_WRITES = 1024;
    public static final long V_STACK_TOP = 0x4000;
    public static final long V_HANDLERS = 0x4000;
    public static final long V_CODE = 0x7000;
    public static final long CODE_LIMIT = VCPU_AREA_SIZE;
    /** The vCPUs the layout has room for in its slot. */
    public static final int MAX_VCPUS = 30;

    public static final int ST_RUNNING = 1;
    public static final int ST_WAIT_UNTIL = 2;
    public static final int ST_WAIT_IRQ = 3;
    public static final int ST_DONE = 4;
    public static final int ST_READY = 5;

    /** The LAPIC's EOI and spurious-vector registers (xAPIC MMIO, arch/x86/include/asm/apicdef.h APIC_EOI, APIC_SPIV). */
    public static final long LAPIC_EOI = 0xFEE000B0L;
    public static final long LAPIC_SVR = 0xFEE000F0L;
    public static final long IOAPIC_BASE = 0xFEC00000L;

    /** The slot's size: the global page plus one area per vCPU, rounded up to 2 MiB. */
    public long size() {
        long need = VCPU_AREA + VCPU_AREA_SIZE * vcpus;
        return (need + 0x1FFFFF) & ~0x1FFFFFL;
    }

    public long vcpu(int v) {
        return base + VCPU_AREA + VCPU_AREA_SIZE * v;
    }

    /** The {@code #define}s the C runtime uses, in order. */
    public Map<String, Long> defines() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("MEM_BASE", base);
        m.put("MEM_SIZE", size());
        m.put("GDT_OFF", GDT_OFF);
        m.put("TSS_OFF", TSS_OFF);
        m.put("G_CLOCK", G_CLOCK);
        m.put("G_STARTED", G_STARTED);
        m.put("VCPU_AREA", VCPU_AREA);
        m.put("VCPU_AREA_SIZE", VCPU_AREA_SIZE);
        m.put("V_IDT", V_IDT);
        m.put("V_TAKEN", V_TAKEN);
        m.put("V_CLAIMED", V_CLAIMED);
        m.put("GS_RESUME", GS_RESUME);
        m.put("GS_STATE", GS_STATE);
        m.put("GS_ACTION", GS_ACTION);
        m.put("GS_SEQ", GS_SEQ);
        m.put("GS_TOTAL_TAKEN", GS_TOTAL_TAKEN);
        m.put("GS_WAIT_GEN", GS_WAIT_GEN);
        m.put("GS_TIMEOUT_GEN", GS_TIMEOUT_GEN);
        m.put("GS_WAIT_ID", GS_WAIT_ID);
        m.put("GS_EXECS", GS_EXECS);
        m.put("V_STACK_TOP", V_STACK_TOP);
        return m;
    }

    /** Candidate slot bases, below the IOAPIC and LAPIC windows. */
    static final long[] BASES = {0x100000L, 0x10000000L, 0x40000000L, 0x80000000L, 0xC0000000L};
}
