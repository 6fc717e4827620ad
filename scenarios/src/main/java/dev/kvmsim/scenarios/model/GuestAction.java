package dev.kvmsim.scenarios.model;

import java.util.List;

/** One action of a guest program (docs/scenarios.md "Guest programs"). */
public sealed interface GuestAction {

    /** {@code expect: kernel|userspace} on a write action. */
    enum ExitExpect { ANY, KERNEL, USERSPACE }

    record Compute(long ns, Loc loc) implements GuestAction {}

    record MmioWrite(long addr, int len, long value, ExitExpect expect, Loc loc) implements GuestAction {}

    record PioWrite(long port, int len, long value, ExitExpect expect, Loc loc) implements GuestAction {}

    /** {@code vector} -1: any vector; {@code timeoutNs} -1: no timeout. */
    record WaitIrq(int vector, long timeoutNs, Loc loc) implements GuestAction {}

    record WaitUntil(long timeNs, Loc loc) implements GuestAction {}

    record Cli(Loc loc) implements GuestAction {}

    record Sti(Loc loc) implements GuestAction {}

    /** The guest programs IOAPIC redirection entry {@code pin} through the IOAPIC's MMIO window. */
    record IoapicRedirect(long pin, long vector, boolean levelTriggered, long dest, boolean logical, boolean masked, Loc loc)
            implements GuestAction {}

    record Repeat(long times, List<GuestAction> body, Loc loc) implements GuestAction {
        public Repeat {
            body = List.copyOf(body);
        }
    }
}
