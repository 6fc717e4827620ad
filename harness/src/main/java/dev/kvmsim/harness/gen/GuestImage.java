package dev.kvmsim.harness.gen;

import dev.kvmsim.harness.asm.X86Asm;
import dev.kvmsim.harness.asm.X86Asm.Label;
import dev.kvmsim.harness.asm.X86Asm.Reg;
import dev.kvmsim.kvm.vcpu.GuestAction.DestMode;
import dev.kvmsim.kvm.vcpu.GuestAction.Trigger;
import dev.kvmsim.scenarios.model.GuestAction;
import dev.kvmsim.scenarios.model.GuestProgram;
import dev.kvmsim.scenarios.model.Scenario;
import dev.kvmsim.scenarios.model.VmSpec;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest side of a harness: machine code for every vCPU, from the scenario's guest
 * programs, assembled with {@link X86Asm}.
 *
 * <p>How the guest runs (kvm_pvm quirks, docs/real-kvm.md): interrupt handlers cannot
 * {@code iret} (the emulator cannot execute it in protected mode), so a handler counts its
 * vector, writes EOI, resets the stack and jumps to the address in the vCPU's resume word.
 * The program keeps that word pointing at a place where it can go on: after each action
 * (actions run with IF=0 for their few instructions, so an interrupt never splits one), or
 * at the head of a wait loop. Waits are {@code sti; hlt} loops (interrupts are taken at once
 * in {@code hlt}, late while spinning) that the host releases through guest memory (the
 * clock word, the timeout generation) and a kick out of {@code hlt}.
 */
public final class GuestImage {

    /** Bytes to copy into the slot at {@code offset}. */
    public record Chunk(long offset, byte[] bytes) {}

    /** A wait of a vCPU's program: wait_until (arg: absolute ns) or wait_irq (arg: timeout ns, -1 none). */
    public record Wait(boolean until, long arg) {}

    /** One vCPU's code: its entry point, waits, number of writes and GNU as listings (handlers, program). */
    public record VcpuCode(long entry, List<Wait> waits, int writes, String handlersListing, String programListing) {}

    /** An action the harness cannot turn into guest code (checked by {@link Support} before generating). */
    public static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    private final Layout layout;
    private final List<Chunk> chunks = new ArrayList<>();
    private final List<VcpuCode> vcpus = new ArrayList<>();

    private GuestImage(Layout layout) {
        this.layout = layout;
    }

    public Layout layout() { return layout; }

    public List<Chunk> chunks() { return chunks; }

    public List<VcpuCode> vcpus() { return vcpus; }

    /** Builds the image for {@code s} in a slot at {@code base}. */
    public static GuestImage build(Scenario s, long base) {
        GuestImage img = new GuestImage(new Layout(base, s.vm().vcpus()));
        img.chunks.add(new Chunk(Layout.GDT_OFF, img.gdt()));
        for (int v = 0; v < s.vm().vcpus(); v++) {
            List<GuestAction> program = List.of();
            for (GuestProgram p : s.guest()) {
                if (p.vcpu() == v) {
                    program = p.program();
                }
            }
            img.vcpus.add(img.vcpu(v, program, s.vm()));
        }
        return img;
    }

    /** Null, flat code (0x08), flat data (0x10), a busy 32-bit TSS (0x18). */
    private byte[] gdt() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        le(b, 0L, 8);
        le(b, 0x00CF9A000000FFFFL, 8);
        le(b, 0x00CF92000000FFFFL, 8);
        long tss = layout.base() + Layout.TSS_OFF;
        long d = 0x67 | (tss & 0xFFFFFF) << 16 | 0x8BL << 40 | ((tss >>> 24) & 0xFF) << 56;
        le(b, d, 8);
        return b.toByteArray();
    }

    private VcpuCode vcpu(int v, List<GuestAction> program, VmSpec vm) {
        long area = layout.vcpu(v);
        boolean lapicInKernel = vm.irqchip() != VmSpec.Irqchip.NONE;
        // the IDT: 256 32-bit interrupt gates, selector 0x08
        ByteArrayOutputStream idt = new ByteArrayOutputStream();
        X86Asm h = new X86Asm(area + Layout.V_HANDLERS);
        for (int vec = 0; vec < 256; vec++) {
            long stub = h.here();
            le(idt, (stub & 0xFFFF) | 0x08L << 16 | 0x8E00L << 32 | ((stub >>> 16) & 0xFFFF) << 48, 8);
            h.incMem(area + Layout.V_TAKEN + 4L * vec);
            h.incMem(area + Layout.GS_TOTAL_TAKEN);
            h.incMem(area + Layout.GS_SEQ);
            if (lapicInKernel) {
                h.movMemImm(4, Layout.LAPIC_EOI, 0);
            }
            h.movRegImm(4, Reg.ESP, area + Layout.V_STACK_TOP);
            h.sti();
            h.jmpMem(area + Layout.GS_RESUME);
        }
        chunks.add(new Chunk(area - layout.base() + Layout.V_IDT, idt.toByteArray()));
        byte[] handlers = h.bytes();
        if (Layout.V_HANDLERS + handlers.length > Layout.V_CODE) {
            throw new IllegalStateException("handlers overflow: " + handlers.length);
        }
        chunks.add(new Chunk(area - layout.base() + Layout.V_HANDLERS, handlers));
        Program p = new Program(v, area, layout.base(), vm);
        p.init();
        p.actions(program);
        p.finish();
        byte[] code = p.a.bytes();
        if (Layout.V_CODE + code.length > Layout.CODE_LIMIT) {
            throw new Unsupported("vcpu " + v + ": the program's code (" + code.length + " bytes) does not fit in "
                    + (Layout.CODE_LIMIT - Layout.V_CODE) + " bytes");
        }
        chunks.add(new Chunk(area - layout.base() + Layout.V_CODE, code));
        return new VcpuCode(area + Layout.V_CODE, List.copyOf(p.waits), p.writes, h.gasListing(), p.a.gasListing());
    }

    /** The code generator of one vCPU's program; tracks the interrupt flag the program has at each point. */
    private static final class Program {
        final X86Asm a;
        final int vcpu;
        final long area;
        final long base;
        final VmSpec vm;
        final List<Wait> waits = new ArrayList<>();
        int writes;
        int repeats;
        /** IF as the program has it here (a guest starts with interrupts enabled). */
        boolean iflag;

        Program(int vcpu, long area, long base, VmSpec vm) {
            this.vcpu = vcpu;
            this.area = area;
            this.base = base;
            this.vm = vm;
            this.a = new X86Asm(area + Layout.V_CODE);
        }

        long g(long off) {
            return area + off;
        }

        /** Set-up as the guest OS would have done it (guest_state booted), then wait, halted with IF=0, for the start. */
        void init() {
            a.movRegImm(4, Reg.ESP, g(Layout.V_STACK_TOP));
            a.movMemImm(4, g(Layout.GS_ACTION), 0xFFFFFFFFL);
            if (vm.guestState() == VmSpec.GuestState.BOOTED) {
                if (vm.irqchip() == VmSpec.Irqchip.KERNEL) {
                    // mask both 8259s (OCW1): otherwise GSI 0-15 reach vCPU 0 as ExtINT vectors 0-15
                    a.movRegImm(1, Reg.EAX, 0xFF);
                    a.outImm(1, 0x21);
                    a.outImm(1, 0xA1);
                }
                if (vm.irqchip() != VmSpec.Irqchip.NONE) {
                    // software-enable the LAPIC (SVR bit 8, spurious vector 0xff): it accepts fixed interrupts only then
                    a.movMemImm(4, Layout.LAPIC_SVR, 0x1FF);
                }
            }
            Label wait = a.newLabel();
            Label go = a.newLabel();
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_READY);
            a.bind(wait);
            a.incMem(g(Layout.GS_SEQ));
            a.cmpMemImm(base + Layout.G_STARTED, 0);
            a.jcc(X86Asm.Cond.NE, go);
            a.hlt();
            a.jmp(wait);
            a.bind(go);
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_RUNNING);
            iflag = false;
            sti();
        }

        /** Starts an action: interrupts off for its few instructions. */
        void begin() {
            if (iflag) {
                a.cli();
            }
        }

        /** Ends an action: an interrupt from here on resumes after it. */
        void end() {
            Label next = a.newLabel();
            a.movMemLabel(g(Layout.GS_RESUME), next);
            if (iflag) {
                a.sti();
            }
            a.bind(next);
        }

        void sti() {
            Label next = a.newLabel();
            a.movMemLabel(g(Layout.GS_RESUME), next);
            a.sti();
            a.bind(next);
            iflag = true;
        }

        void actions(List<GuestAction> actions) {
            for (GuestAction x : actions) {
                action(x);
            }
        }

        void action(GuestAction x) {
            if (x instanceof GuestAction.Compute) {
                return; // durations are not reproduced (timing is not compared)
            }
            if (x instanceof GuestAction.MmioWrite w) {
                write(() -> store(w.addr(), w.len(), w.value()));
            } else if (x instanceof GuestAction.PioWrite w) {
                write(() -> out((int) w.port(), w.len(), w.value()));
            } else if (x instanceof GuestAction.Cli) {
                a.cli();
                iflag = false;
            } else if (x instanceof GuestAction.Sti) {
                sti();
            } else if (x instanceof GuestAction.IoapicRedirect r) {
                // IOREGSEL / IOWIN: high dword (0x11 + 2*pin) first, then low (0x10 + 2*pin), as the model does
                begin();
                store(Layout.IOAPIC_BASE, 4, 0x11 + 2 * r.pin());
                store(Layout.IOAPIC_BASE + 0x10, 4, redirectHigh(r));
                store(Layout.IOAPIC_BASE, 4, 0x10 + 2 * r.pin());
                store(Layout.IOAPIC_BASE + 0x10, 4, redirectLow(r));
                end();
            } else if (x instanceof GuestAction.WaitUntil w) {
                waitUntil(w.timeNs());
            } else if (x instanceof GuestAction.WaitIrq w) {
                waitIrq(w.vector(), w.timeoutNs());
            } else if (x instanceof GuestAction.Repeat r) {
                repeat(r);
            } else {
                throw new Unsupported("guest action " + x);
            }
        }

        /** A write action: the host attributes exits to it by the action word; executions are counted in guest memory. */
        void write(Runnable access) {
            int id = writes++;
            if (id >= Layout.MAX_WRITES) {
                throw new Unsupported("vcpu " + vcpu + ": more than " + Layout.MAX_WRITES + " write actions");
            }
            begin();
            a.movMemImm(4, g(Layout.GS_ACTION), id);
            access.run();
            a.incMem(g(Layout.GS_EXECS) + 4L * id);
            a.movMemImm(4, g(Layout.GS_ACTION), 0xFFFFFFFFL);
            end();
        }

        /** A store of len bytes: mov byte/word/dword, or (8) movq from an MMX register. */
        void store(long addr, int len, long value) {
            if (len == 8) {
                a.movMemImm(4, g(Layout.GS_MMX), value & 0xFFFFFFFFL);
                a.movMemImm(4, g(Layout.GS_MMX) + 4, value >>> 32);
                a.movqMm0Load(g(Layout.GS_MMX));
                a.movqMm0Store(addr);
            } else {
                a.movMemImm(len, addr, value);
            }
        }

        void out(int port, int len, long value) {
            a.movRegImm(len, Reg.EAX, value);
            if (port <= 0xFF) {
                a.outImm(len, port);
            } else {
                a.movRegImm(2, Reg.EDX, port);
                a.outDx(len);
            }
        }

        int waitId(boolean until, long arg) {
            waits.add(new Wait(until, arg));
            return waits.size() - 1;
        }

        /** Halts until the host's clock word reaches t (IF as the program has it: cli; wait_until halts with IF=0). */
        void waitUntil(long t) {
            if (t < 0 || t > 0xFFFFFFFFL) {
                throw new Unsupported("wait_until beyond 4.29 s");
            }
            int id = waitId(true, t);
            boolean keep = iflag;
            begin();
            Label loop = a.newLabel();
            Label done = a.newLabel();
            a.movMemImm(4, g(Layout.GS_WAIT_ID), id);
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_WAIT_UNTIL);
            a.movMemLabel(g(Layout.GS_RESUME), loop);
            a.bind(loop);
            a.incMem(g(Layout.GS_SEQ));
            a.cmpMemImm(base + Layout.G_CLOCK, t);
            a.jcc(X86Asm.Cond.AE, done);
            if (keep) {
                a.sti();
                a.hlt();
                a.cli();
            } else {
                a.hlt();
            }
            a.jmp(loop);
            a.bind(done);
            a.cli();
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_RUNNING);
            iflag = keep;
            end();
        }

        /**
         * Claims an interrupt taken and not yet claimed (of {@code vector}, or with -1 all of them),
         * else {@code sti; hlt} until one comes or the host times the wait out. Leaves IF=1.
         */
        void waitIrq(int vector, long timeoutNs) {
            int id = waitId(false, timeoutNs);
            begin();
            Label loop = a.newLabel();
            Label got = a.newLabel();
            Label done = a.newLabel();
            a.movMemImm(4, g(Layout.GS_WAIT_ID), id);
            a.incMem(g(Layout.GS_WAIT_GEN));
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_WAIT_IRQ);
            a.movMemLabel(g(Layout.GS_RESUME), loop);
            a.bind(loop);
            a.incMem(g(Layout.GS_SEQ));
            if (vector >= 0) {
                a.movRegMem(Reg.EAX, g(Layout.V_TAKEN) + 4L * vector);
                a.cmpRegMem(Reg.EAX, g(Layout.V_CLAIMED) + 4L * vector);
            } else {
                a.movRegMem(Reg.EAX, g(Layout.GS_TOTAL_TAKEN));
                a.cmpRegMem(Reg.EAX, g(Layout.GS_TOTAL_CLAIMED));
            }
            a.jcc(X86Asm.Cond.NE, got);
            a.movRegMem(Reg.EAX, g(Layout.GS_WAIT_GEN));
            a.cmpRegMem(Reg.EAX, g(Layout.GS_TIMEOUT_GEN));
            a.jcc(X86Asm.Cond.E, done);
            a.sti();
            a.hlt();
            a.cli();
            a.jmp(loop);
            a.bind(got);
            a.cli();
            if (vector >= 0) {
                a.incMem(g(Layout.V_CLAIMED) + 4L * vector);
                a.incMem(g(Layout.GS_TOTAL_CLAIMED));
            } else {
                // claim them all: claimed := taken
                a.movRegImm(4, Reg.ESI, g(Layout.V_TAKEN));
                a.movRegImm(4, Reg.EDI, g(Layout.V_CLAIMED));
                a.movRegImm(4, Reg.ECX, 256);
                a.repMovsd();
                a.movRegMem(Reg.EAX, g(Layout.GS_TOTAL_TAKEN));
                a.movMemReg(g(Layout.GS_TOTAL_CLAIMED), Reg.EAX);
            }
            a.bind(done);
            a.cli();
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_RUNNING);
            iflag = true; // "sti; hlt": the wait leaves interrupts enabled
            end();
        }

        /** A counted loop; its counter lives in guest memory, so a handler resuming at its head keeps it. */
        void repeat(GuestAction.Repeat r) {
            if (r.times() < 0 || r.times() > 0xFFFFFFFFL) {
                throw new Unsupported("repeat count beyond 2^32-1");
            }
            int id = repeats++;
            if (id >= Layout.MAX_REPEATS) {
                throw new Unsupported("vcpu " + vcpu + ": more than " + Layout.MAX_REPEATS + " repeat actions");
            }
            long counter = g(Layout.V_REPEAT) + 4L * id;
            boolean entry = iflag;
            Label head = a.newLabel();
            Label exit = a.newLabel();
            begin();
            a.movMemImm(4, counter, r.times());
            a.movMemLabel(g(Layout.GS_RESUME), head);
            if (iflag) {
                a.sti();
            }
            a.bind(head);
            a.cmpMemImm(counter, 0);
            a.jcc(X86Asm.Cond.E, exit);
            actions(r.body());
            if (iflag != entry) {
                throw new Unsupported("a repeat body that changes the interrupt flag (cli/sti/wait_irq) from its entry state");
            }
            begin();
            a.decMem(counter);
            a.movMemLabel(g(Layout.GS_RESUME), head);
            if (iflag) {
                a.sti();
            }
            a.jmp(head);
            a.bind(exit);
        }

        /** The program is over: idle like a guest OS with nothing to do (interrupts on, halted). */
        void finish() {
            begin();
            Label idle = a.newLabel();
            a.movMemImm(4, g(Layout.GS_STATE), Layout.ST_DONE);
            a.movMemLabel(g(Layout.GS_RESUME), idle);
            a.bind(idle);
            a.incMem(g(Layout.GS_SEQ));
            a.sti();
            a.hlt();
            a.jmp(idle);
        }
    }

    private static void le(ByteArrayOutputStream b, long v, int n) {
        for (int i = 0; i < n; i++) {
            b.write((int) (v >>> (8 * i)));
        }
    }

    static long redirectLow(GuestAction.IoapicRedirect r) {
        return model(r).lowDword();
    }

    static long redirectHigh(GuestAction.IoapicRedirect r) {
        return model(r).highDword();
    }

    /** The model's own encoding of the redirection entry (dev.kvmsim.kvm.vcpu.GuestAction.IoapicRedirect). */
    private static dev.kvmsim.kvm.vcpu.GuestAction.IoapicRedirect model(GuestAction.IoapicRedirect r) {
        return new dev.kvmsim.kvm.vcpu.GuestAction.IoapicRedirect((int) r.pin(), (int) r.vector(),
                r.levelTriggered() ? Trigger.LEVEL : Trigger.EDGE, (int) r.dest(), r.logical() ? DestMode.LOGICAL : DestMode.PHYSICAL, r.masked());
    }
}
