package dev.kvmsim.kvm.vcpu;

import java.util.ArrayDeque;
import java.util.BitSet;

/** A minimal LAPIC for vCPU tests: IRR/ISR bitmaps, priority by class (vector >> 4), EOI counting. */
final class FakeLapic implements LocalApicPort {
    final BitSet irr = new BitSet(256);
    final ArrayDeque<Integer> isr = new ArrayDeque<>();
    boolean eoiExits = true;
    int eois;
    Vcpu vcpu;

    /** Sets the IRR bit and notifies the vCPU like __apic_accept_irq (kick, or posted with APICv). */
    void deliver(int vector) {
        irr.set(vector);
        if (vcpu.apicv()) {
            vcpu.postedInterrupt();
        } else {
            vcpu.kick();
        }
    }

    @Override
    public int pendingVector() {
        int v = irr.previousSetBit(255);
        if (v < 0) {
            return -1;
        }
        int ppr = isr.isEmpty() ? 0 : isr.peek() >> 4;
        return (v >> 4) > ppr ? v : -1;
    }

    @Override
    public void acknowledge(int vector) {
        irr.clear(vector);
        isr.push(vector);
    }

    @Override
    public int eoi() {
        eois++;
        return isr.isEmpty() ? -1 : isr.pop();
    }

    @Override
    public boolean eoiExits(int vector) {
        return eoiExits;
    }

    @Override
    public boolean mmioWrite(long addr, int len, long value) {
        return false;
    }
}
