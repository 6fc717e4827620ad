package dev.kvmsim.cli.stat;

/** What {@code kvmsim stat --event} analyses, as {@code perf kvm stat report --event}. */
public enum KvmStatEvent {
    /** Every exit, keyed by exit reason: from kvm_exit to the vCPU's next kvm_entry. */
    VMEXIT("VM-EXIT"),
    /** PIO accesses, keyed by port and direction: from kvm_pio to the next kvm_entry. */
    IOPORT("IO Port Access"),
    /** MMIO accesses, keyed by gpa and direction: a write from kvm_mmio to the next kvm_entry. */
    MMIO("MMIO Access");

    private final String title;

    KvmStatEvent(String title) {
        this.title = title;
    }

    /** The column title perf prints ({@code events_ops->name}). */
    public String title() {
        return title;
    }

    /** Parses the command-line spelling ({@code vmexit}, {@code ioport}, {@code mmio}). */
    public static KvmStatEvent parse(String s) {
        for (KvmStatEvent e : values()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown event '" + s + "': expected vmexit, ioport or mmio");
    }
}
