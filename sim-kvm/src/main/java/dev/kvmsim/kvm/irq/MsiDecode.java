package dev.kvmsim.kvm.irq;

import dev.kvmsim.kvm.irqchip.Apic;
import dev.kvmsim.kvm.irqchip.LapicIrq;

/**
 * Models arch/x86/kvm/irq.c kvm_msi_to_lapic_irq with the x86 MSI layout of asm/msi.h:
 * destination address_lo 19:12 (plus address_hi 31:8 as dest bits 31:8 in x2APIC format),
 * logical destination address_lo bit 2, redirection hint bit 3, vector data 7:0, delivery
 * mode data 10:8, trigger mode data bit 15; level 1, no shorthand.
 */
public final class MsiDecode {
    private MsiDecode() {
    }

    /** x86_msi_msg_get_destid. */
    public static int destId(int addressLo, int addressHi, boolean x2apicFormat) {
        int dest = (addressLo >>> 12) & 0xff;
        if (x2apicFormat) {
            dest |= addressHi & 0xffffff00;
        }
        return dest;
    }

    /** kvm_msi_to_lapic_irq (without the trace). */
    public static LapicIrq decode(int addressLo, int addressHi, int data, boolean x2apicFormat) {
        return new LapicIrq(data & 0xff, data & 0x700,
                (addressLo & (1 << 2)) != 0 ? Apic.APIC_DEST_LOGICAL : Apic.APIC_DEST_PHYSICAL,
                true, (data & (1 << 15)) != 0, Apic.APIC_DEST_NOSHORT,
                destId(addressLo, addressHi, x2apicFormat), (addressLo & (1 << 3)) != 0);
    }

    /** The address the kvm_msi_set_irq trace prints: address_lo, with address_hi above it in x2APIC format. */
    public static long traceAddress(int addressLo, int addressHi, boolean x2apicFormat) {
        return Integer.toUnsignedLong(addressLo) | (x2apicFormat ? Integer.toUnsignedLong(addressHi) << 32 : 0);
    }

    /** kvm_msi_route_invalid: x2APIC format with address_hi bits 7:0 set. */
    public static boolean routeInvalid(int addressHi, boolean x2apicFormat) {
        return x2apicFormat && (addressHi & 0xff) != 0;
    }
}
