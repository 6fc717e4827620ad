package dev.kvmsim.harness.asm;

import dev.kvmsim.harness.Tools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every instruction form {@link X86Asm} emits, assembled by GNU as ({@code as --32} +
 * {@code objcopy -O binary}) from the assembler's own listing, must give the same bytes.
 */
class X86AsmGnuAsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsBinutils() {
        Tools.assumeOnPath("as");
        Tools.assumeOnPath("objcopy");
    }

    private void assertSameAsGnu(X86Asm a) throws Exception {
        byte[] ours = a.bytes();
        byte[] gnu = Tools.gnuAssemble(dir, a.gasListing());
        assertEquals(HexFormat.of().formatHex(gnu), HexFormat.of().formatHex(ours), a.gasListing());
    }

    @Test
    void everyFormMatchesGnuAsByteForByte() throws Exception {
        X86Asm a = new X86Asm(0x100000);
        X86Asm.Label top = a.newLabel();
        X86Asm.Label end = a.newLabel();
        a.bind(top);
        a.cli();
        a.sti();
        a.hlt();
        a.cpuid();
        a.wrmsr();
        a.repMovsd();
        for (X86Asm.Reg r : X86Asm.Reg.values()) {
            a.movRegImm(4, r, 0x12345678);
            a.movRegImm(2, r, 0xBEEF);
            if (r.ordinal() < 4) {
                a.movRegImm(1, r, 0xA5);
            }
            a.movRegMem(r, 0xFEE000F0L);
            a.movMemReg(0x2000, r);
            a.cmpRegMem(r, 0x1234);
            a.push(r);
            a.pop(r);
        }
        for (int w : new int[] {1, 2, 4}) {
            a.movMemImm(w, 0xFEC00000L, 0xFFFFFFFFL);
            a.movMemImm(w, 0x80, 0);
            a.outDx(w);
            a.inDx(w);
            a.outImm(w, 0x21);
            a.outImm(w, 0xFF);
            a.inImm(w, 0xA1);
        }
        a.movMemLabel(0x3000, end);
        a.movMemLabel(0x3004, top);
        a.movqMm0Load(0x4000);
        a.movqMm0Store(0xFE003000L);
        a.incMem(0x5000);
        a.decMem(0x5004);
        // imm8 and imm32 forms, the boundaries of a signed byte on both sides
        for (long imm : new long[] {0, 1, 127, 128, -128, -129, 0xFFFFFFFFL, 0x7FFFFFFFL, 1000}) {
            a.addMemImm(0x6000, imm);
            a.cmpMemImm(0x6004, imm);
            a.pushImm(imm);
        }
        for (X86Asm.Cond c : X86Asm.Cond.values()) {
            a.jcc(c, top);
            a.jcc(c, end);
        }
        a.jmp(top);
        a.jmp(end);
        a.jmpMem(0x3000);
        a.lidt(0x7000);
        a.lgdt(0x7010);
        a.bind(end);
        assertSameAsGnu(a);
    }

    @Test
    void labelsAsImmediatesAreAbsoluteAndJumpsRelative() {
        X86Asm a = new X86Asm(0x200000);
        X86Asm.Label l = a.newLabel();
        a.movMemLabel(0x1000, l); // C7 05 00100000 <abs>: 10 bytes
        a.jmp(l);                 // E9 rel32: 5 bytes
        a.bind(l);
        byte[] b = a.bytes();
        // absolute: 0x200000 + 15; relative: 0 (the label follows the jump)
        assertEquals("c70500100000" + "0f002000" + "e900000000", HexFormat.of().formatHex(b));
    }
}
