package dev.kvmsim.kvm.vcpu;

import java.util.List;

/**
 * One action of a guest program (docs/scenarios.md "Guest programs"): a closed set of immutable
 * records; switch over {@link #kind()}.
 */
public sealed interface GuestAction {
    /** The kinds of guest action. */
    enum Kind { COMPUTE, MMIO_WRITE, PIO_WRITE, REPEAT, WAIT_IRQ, WAIT_UNTIL, CLI, STI, IOAPIC_REDIRECT }

    /** What a write action is expected to do on every execution. */
    enum Expectation { NONE, KERNEL, USERSPACE }

    /** IOAPIC redirection trigger mode (bit 15). */
    enum Trigger { EDGE, LEVEL }

    /** IOAPIC redirection destination mode (bit 11). */
    enum DestMode { PHYSICAL, LOGICAL }

    Kind kind();

    /** {@code compute: DURATION}: the guest runs for {@code ns} without exiting. */
    record Compute(long ns) implements GuestAction {
        public Compute {
            if (ns < 0) {
                throw new IllegalArgumentException("compute duration must not be negative: " + ns);
            }
        }

        @Override public Kind kind() { return Kind.COMPUTE; }
    }

    /**
     * {@code mmio_write: {addr, len, value}}: a guest store. {@code len} is 1, 2, 4, 8 or 16 (an SSE
     * store; {@code valueHigh} holds bytes 8..15). {@code id} names the action for the per-action
     * kernel/userspace counts.
     */
    record MmioWrite(int id, long addr, int len, long value, long valueHigh, Expectation expect) implements GuestAction {
        public MmioWrite {
            if (len != 1 && len != 2 && len != 4 && len != 8 && len != 16) {
                throw new IllegalArgumentException("mmio_write len must be 1, 2, 4, 8 or 16: " + len);
            }
        }

        public static MmioWrite of(int id, long addr, int len, long value) {
            return new MmioWrite(id, addr, len, value, 0, Expectation.NONE);
        }

        @Override public Kind kind() { return Kind.MMIO_WRITE; }
    }

    /** {@code pio_write: {port, len, value}}: an {@code out} (len 1, 2, 4). */
    record PioWrite(int id, int port, int len, long value, Expectation expect) implements GuestAction {
        public PioWrite {
            if (len != 1 && len != 2 && len != 4) {
                throw new IllegalArgumentException("pio_write len must be 1, 2 or 4: " + len);
            }
            if (port < 0 || port > 0xffff) {
                throw new IllegalArgumentException("pio_write port must be 0..0xffff: " + port);
            }
        }

        public static PioWrite of(int id, int port, int len, long value) {
            return new PioWrite(id, port, len, value, Expectation.NONE);
        }

        @Override public Kind kind() { return Kind.PIO_WRITE; }
    }

    /** {@code repeat: N, do: [...]}; {@code count} is unsigned (up to 2^64-1). */
    record Repeat(long count, List<GuestAction> body) implements GuestAction {
        public Repeat {
            body = List.copyOf(body);
        }

        @Override public Kind kind() { return Kind.REPEAT; }
    }

    /**
     * {@code wait_irq: {vector, timeout}}: {@code sti; hlt} until an interrupt (of {@code vector},
     * or any when {@code vector < 0}) has been taken; {@code timeoutNs < 0} waits forever.
     */
    record WaitIrq(int vector, long timeoutNs) implements GuestAction {
        public static WaitIrq any() { return new WaitIrq(-1, -1); }

        @Override public Kind kind() { return Kind.WAIT_IRQ; }
    }

    /** {@code wait_until: TIME}: halted until absolute simulated time {@code timeNs}; IF unchanged. */
    record WaitUntil(long timeNs) implements GuestAction {
        @Override public Kind kind() { return Kind.WAIT_UNTIL; }
    }

    /** {@code cli}: clear the interrupt flag. */
    record Cli() implements GuestAction {
        @Override public Kind kind() { return Kind.CLI; }
    }

    /** {@code sti}: set the interrupt flag. */
    record Sti() implements GuestAction {
        @Override public Kind kind() { return Kind.STI; }
    }

    /**
     * {@code ioapic_redirect}: programs redirection entry {@code pin} through the IOAPIC window
     * (IOREGSEL 0xFEC00000 / IOWIN 0xFEC00010): high dword (0x11 + 2*pin) first, then low (0x10 + 2*pin).
     */
    record IoapicRedirect(int pin, int vector, Trigger trigger, int dest, DestMode destMode, boolean masked)
            implements GuestAction {
        /** Redirection entry bits 31:0: vector, delivery mode Fixed, dest mode (11), trigger (15), mask (16). */
        public long lowDword() {
            return (vector & 0xffL)
                    | (destMode == DestMode.LOGICAL ? 1L << 11 : 0)
                    | (trigger == Trigger.LEVEL ? 1L << 15 : 0)
                    | (masked ? 1L << 16 : 0);
        }

        /** Redirection entry bits 63:32: destination in bits 63:56. */
        public long highDword() {
            return (dest & 0xffL) << 24;
        }

        @Override public Kind kind() { return Kind.IOAPIC_REDIRECT; }
    }
}
