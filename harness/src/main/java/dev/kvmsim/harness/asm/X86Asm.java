package dev.kvmsim.harness.asm;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A small 32-bit x86 assembler: exactly the instruction forms the C harness's guest code
 * uses (flat protected mode, absolute memory operands, no ModRM base registers). Each
 * instruction is encoded as GNU {@code as --32} encodes its Intel-syntax form, and is
 * recorded in that syntax too ({@link #gasListing()}), so a test can assemble the listing
 * with GNU as and compare the bytes.
 *
 * <p>Choices that match GNU as: {@code mov eax, [abs]} and {@code mov [abs], eax} use the
 * moffs forms (A1/A3); an immediate that fits in a signed byte uses the imm8 form of
 * {@code cmp}/{@code add}/{@code push}. Jumps always use rel32 (written {@code {disp32}} in the
 * listing, so as does not relax them).
 *
 * <p>Caveats: single use; labels are resolved by {@link #bytes()}; not thread-safe.
 */
public final class X86Asm {

    /** The 32-bit general registers, by their encoding number. */
    public enum Reg {
        EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI;

        int code() { return ordinal(); }

        String name(int width) {
            String[] r32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
            String[] r16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
            String[] r8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
            return switch (width) {
                case 1 -> r8[ordinal()];
                case 2 -> r16[ordinal()];
                default -> r32[ordinal()];
            };
        }
    }

    /** Conditions of {@code jcc}, by their condition code. */
    public enum Cond {
        O(0x0), NO(0x1), B(0x2), AE(0x3), E(0x4), NE(0x5), BE(0x6), A(0x7), S(0x8), NS(0x9), L(0xC), GE(0xD), LE(0xE), G(0xF);

        private final int cc;

        Cond(int cc) { this.cc = cc; }
    }

    /** A position in the code; bound once. */
    public static final class Label {
        private int offset = -1;
        private final int id;

        private Label(int id) { this.id = id; }

        String name() { return ".L" + id; }
    }

    private record Fixup(int at, Label label, boolean relative) {}

    /** One listing line: text, or (when {@code absLabel} is set) text with {@code %s} for the label's address. */
    private record Line(String text, Label absLabel, Label bound) {}

    private final long origin;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Fixup> fixups = new ArrayList<>();
    private final List<Line> listing = new ArrayList<>();
    private int nextLabel;

    /** @param origin the guest-physical address of the first byte (labels used as immediates are absolute) */
    public X86Asm(long origin) {
        this.origin = origin;
    }

    public long origin() { return origin; }

    /** The address the next instruction will have. */
    public long here() { return origin + code.size(); }

    public Label newLabel() {
        return new Label(nextLabel++);
    }

    public void bind(Label l) {
        if (l.offset >= 0) {
            throw new IllegalStateException("label " + l.name() + " bound twice");
        }
        l.offset = code.size();
        listing.add(new Line(null, null, l));
    }

    /** A label's address (after it is bound). */
    public long address(Label l) {
        if (l.offset < 0) {
            throw new IllegalStateException("label " + l.name() + " not bound");
        }
        return origin + l.offset;
    }

    // ---- no operands ----

    public void cli() { op("cli", 0xFA); }

    public void sti() { op("sti", 0xFB); }

    public void hlt() { op("hlt", 0xF4); }

    public void cpuid() { op("cpuid", 0x0F, 0xA2); }

    public void wrmsr() { op("wrmsr", 0x0F, 0x30); }

    public void repMovsd() { op("rep movsd", 0xF3, 0xA5); }

    // ---- mov ----

    /** {@code mov r, imm} of width 1, 2 or 4 (B0+r / 66 B8+r / B8+r). */
    public void movRegImm(int width, Reg r, long imm) {
        line("mov " + r.name(width) + ", " + hex(imm & mask(width)));
        prefix16(width);
        emit(width == 1 ? 0xB0 + r.code() : 0xB8 + r.code());
        imm(width, imm);
    }

    /** {@code mov width ptr [addr], imm} (C6 05 / 66 C7 05 / C7 05). */
    public void movMemImm(int width, long addr, long imm) {
        line("mov " + ptr(width) + " [" + hex(addr) + "], " + hex(imm & mask(width)));
        prefix16(width);
        emit(width == 1 ? 0xC6 : 0xC7);
        emit(0x05);
        imm(4, addr);
        imm(width, imm);
    }

    /** {@code mov dword ptr [addr], LABEL}: stores a label's absolute address. */
    public void movMemLabel(long addr, Label l) {
        listing.add(new Line("mov dword ptr [" + hex(addr) + "], %s", l, null));
        emit(0xC7);
        emit(0x05);
        imm(4, addr);
        fixups.add(new Fixup(code.size(), l, false));
        imm(4, 0);
    }

    /** {@code mov r32, dword ptr [addr]} (A1 for eax, else 8B /r). */
    public void movRegMem(Reg r, long addr) {
        line("mov " + r.name(4) + ", dword ptr [" + hex(addr) + "]");
        if (r == Reg.EAX) {
            emit(0xA1);
        } else {
            emit(0x8B);
            emit(0x05 | r.code() << 3);
        }
        imm(4, addr);
    }

    /** {@code mov dword ptr [addr], r32} (A3 for eax, else 89 /r). */
    public void movMemReg(long addr, Reg r) {
        line("mov dword ptr [" + hex(addr) + "], " + r.name(4));
        if (r == Reg.EAX) {
            emit(0xA3);
        } else {
            emit(0x89);
            emit(0x05 | r.code() << 3);
        }
        imm(4, addr);
    }

    /** {@code movq mm0, qword ptr [addr]} (0F 6F /r): the load half of an 8-byte store. */
    public void movqMm0Load(long addr) {
        line("movq mm0, qword ptr [" + hex(addr) + "]");
        emit(0x0F);
        emit(0x6F);
        emit(0x05);
        imm(4, addr);
    }

    /** {@code movq qword ptr [addr], mm0} (0F 7F /r): an 8-byte store in 32-bit mode. */
    public void movqMm0Store(long addr) {
        line("movq qword ptr [" + hex(addr) + "], mm0");
        emit(0x0F);
        emit(0x7F);
        emit(0x05);
        imm(4, addr);
    }

    // ---- arithmetic on memory ----

    /** {@code inc dword ptr [addr]} (FF /0). */
    public void incMem(long addr) { memOp("inc", 0xFF, 0, addr); }

    /** {@code dec dword ptr [addr]} (FF /1). */
    public void decMem(long addr) { memOp("dec", 0xFF, 1, addr); }

    /** {@code add dword ptr [addr], imm} (83 /0 ib or 81 /0 id). */
    public void addMemImm(long addr, long imm) { memImmOp("add", 0, addr, imm); }

    /** {@code cmp dword ptr [addr], imm} (83 /7 ib or 81 /7 id). */
    public void cmpMemImm(long addr, long imm) { memImmOp("cmp", 7, addr, imm); }

    /** {@code cmp r32, dword ptr [addr]} (3B /r). */
    public void cmpRegMem(Reg r, long addr) {
        line("cmp " + r.name(4) + ", dword ptr [" + hex(addr) + "]");
        emit(0x3B);
        emit(0x05 | r.code() << 3);
        imm(4, addr);
    }

    // ---- control flow ----

    /** {@code jmp LABEL} (E9 rel32). */
    public void jmp(Label l) {
        listing.add(new Line("{disp32} jmp " + l.name(), null, null));
        emit(0xE9);
        fixups.add(new Fixup(code.size(), l, true));
        imm(4, 0);
    }

    /** {@code jcc LABEL} (0F 80+cc rel32). */
    public void jcc(Cond c, Label l) {
        listing.add(new Line("{disp32} j" + c.name().toLowerCase() + " " + l.name(), null, null));
        emit(0x0F);
        emit(0x80 + c.cc);
        fixups.add(new Fixup(code.size(), l, true));
        imm(4, 0);
    }

    /** {@code jmp dword ptr [addr]} (FF /4): an indirect jump through memory. */
    public void jmpMem(long addr) { memOp("jmp", 0xFF, 4, addr); }

    // ---- port I/O ----

    /** {@code out dx, al|ax|eax} (EE / 66 EF / EF). */
    public void outDx(int width) {
        line("out dx, " + Reg.EAX.name(width));
        prefix16(width);
        emit(width == 1 ? 0xEE : 0xEF);
    }

    /** {@code out imm8, al|ax|eax} (E6 / 66 E7 / E7). */
    public void outImm(int width, int port) {
        checkPort8(port);
        line("out " + hex(port) + ", " + Reg.EAX.name(width));
        prefix16(width);
        emit(width == 1 ? 0xE6 : 0xE7);
        emit(port);
    }

    /** {@code in al|ax|eax, dx} (EC / 66 ED / ED). */
    public void inDx(int width) {
        line("in " + Reg.EAX.name(width) + ", dx");
        prefix16(width);
        emit(width == 1 ? 0xEC : 0xED);
    }

    /** {@code in al|ax|eax, imm8} (E4 / 66 E5 / E5). */
    public void inImm(int width, int port) {
        checkPort8(port);
        line("in " + Reg.EAX.name(width) + ", " + hex(port));
        prefix16(width);
        emit(width == 1 ? 0xE4 : 0xE5);
        emit(port);
    }

    // ---- descriptor tables, stack ----

    /** {@code lidt [addr]} (0F 01 /3). */
    public void lidt(long addr) { descOp("lidt", 3, addr); }

    /** {@code lgdt [addr]} (0F 01 /2). */
    public void lgdt(long addr) { descOp("lgdt", 2, addr); }

    /** {@code push r32} (50+r). */
    public void push(Reg r) {
        line("push " + r.name(4));
        emit(0x50 + r.code());
    }

    /** {@code push imm} (6A ib or 68 id). */
    public void pushImm(long imm) {
        line("push " + hex(imm & 0xFFFF_FFFFL));
        if (fitsImm8(imm)) {
            emit(0x6A);
            emit((int) imm);
        } else {
            emit(0x68);
            imm(4, imm);
        }
    }

    /** {@code pop r32} (58+r). */
    public void pop(Reg r) {
        line("pop " + r.name(4));
        emit(0x58 + r.code());
    }

    // ---- output ----

    /** The machine code with every label resolved. */
    public byte[] bytes() {
        byte[] b = code.toByteArray();
        for (Fixup f : fixups) {
            if (f.label.offset < 0) {
                throw new IllegalStateException("label " + f.label.name() + " not bound");
            }
            long v = f.relative ? f.label.offset - (f.at + 4) : origin + f.label.offset;
            for (int i = 0; i < 4; i++) {
                b[f.at + i] = (byte) (v >>> (8 * i));
            }
        }
        return b;
    }

    /** The same program in GNU as Intel syntax ({@code as --32}), labels resolved to their addresses where used as values. */
    public String gasListing() {
        StringBuilder sb = new StringBuilder(".intel_syntax noprefix\n.code32\n");
        for (Line l : listing) {
            if (l.bound != null) {
                sb.append(l.bound.name()).append(":\n");
            } else if (l.absLabel != null) {
                sb.append("  ").append(String.format(l.text, hex(address(l.absLabel)))).append('\n');
            } else {
                sb.append("  ").append(l.text).append('\n');
            }
        }
        return sb.toString();
    }

    // ---- helpers ----

    private void op(String text, int... bytes) {
        line(text);
        for (int b : bytes) {
            emit(b);
        }
    }

    private void memOp(String mnemonic, int opcode, int ext, long addr) {
        line(mnemonic + " dword ptr [" + hex(addr) + "]");
        emit(opcode);
        emit(0x05 | ext << 3);
        imm(4, addr);
    }

    private void memImmOp(String mnemonic, int ext, long addr, long imm) {
        line(mnemonic + " dword ptr [" + hex(addr) + "], " + hex(imm & 0xFFFF_FFFFL));
        boolean short8 = fitsImm8(imm);
        emit(short8 ? 0x83 : 0x81);
        emit(0x05 | ext << 3);
        imm(4, addr);
        imm(short8 ? 1 : 4, imm);
    }

    private void descOp(String mnemonic, int ext, long addr) {
        line(mnemonic + " [" + hex(addr) + "]");
        emit(0x0F);
        emit(0x01);
        emit(0x05 | ext << 3);
        imm(4, addr);
    }

    /** as encodes an immediate as imm8 when it fits in a signed byte (as a 32-bit value). */
    private static boolean fitsImm8(long imm) {
        int v = (int) imm;
        return v >= -128 && v <= 127;
    }

    private static void checkPort8(int port) {
        if (port < 0 || port > 0xFF) {
            throw new IllegalArgumentException("imm8 port out of range: " + port);
        }
    }

    private void prefix16(int width) {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("width " + width);
        }
        if (width == 2) {
            emit(0x66);
        }
    }

    private void line(String text) {
        listing.add(new Line(text, null, null));
    }

    private void emit(int b) {
        code.write(b & 0xFF);
    }

    private void imm(int width, long v) {
        for (int i = 0; i < width; i++) {
            emit((int) (v >>> (8 * i)));
        }
    }

    private static long mask(int width) {
        return width == 8 ? -1L : (1L << (8 * width)) - 1;
    }

    private static String ptr(int width) {
        return switch (width) {
            case 1 -> "byte ptr";
            case 2 -> "word ptr";
            default -> "dword ptr";
        };
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
