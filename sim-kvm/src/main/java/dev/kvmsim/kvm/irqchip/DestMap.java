package dev.kvmsim.kvm.irqchip;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Models arch/x86/kvm/ioapic.h struct dest_map: which vCPUs (by id) accepted an interrupt and
 * with which vector; the IOAPIC uses it to track pending RTC EOIs.
 */
public final class DestMap {
    private final BitSet map = new BitSet();
    private int[] vectors = new int[8];

    void set(int vcpuId, int vector) {
        map.set(vcpuId);
        if (vcpuId >= vectors.length) {
            vectors = Arrays.copyOf(vectors, Math.max(vcpuId + 1, vectors.length * 2));
        }
        vectors[vcpuId] = vector;
    }

    boolean test(int vcpuId) { return map.get(vcpuId); }

    int vector(int vcpuId) { return vcpuId < vectors.length ? vectors[vcpuId] : 0; }

    /** test_and_clear_bit. */
    boolean testAndClear(int vcpuId) {
        boolean was = map.get(vcpuId);
        map.clear(vcpuId);
        return was;
    }

    void clear() { map.clear(); }
}
