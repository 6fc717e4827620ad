package dev.kvmsim.scenarios.model;

import java.util.List;

/**
 * One entry of {@code host:}: a single action (one record per action key), with its
 * {@link StepMeta} (index, place, time, expected result).
 */
public sealed interface HostStep {

    StepMeta meta();

    /** The action key as written in a file ({@code ioeventfd}, {@code gsi_routing}, ...). */
    Action action();

    enum Action {
        IOEVENTFD("ioeventfd"), IRQFD("irqfd"), GSI_ROUTING("gsi_routing"), EVENTFD_WRITE("eventfd_write"),
        EVENTFD_READ("eventfd_read"), EVENTFD_SIGNAL("eventfd_signal"), CLOSE("close"), IRQ_LINE("irq_line"),
        SIGNAL_MSI("signal_msi"), COALESCED_MMIO("coalesced_mmio"), CHECK("check");

        private final String key;

        Action(String key) { this.key = key; }

        public String key() { return key; }

        public static Action byKey(String key) {
            for (Action a : values()) {
                if (a.key.equals(key)) {
                    return a;
                }
            }
            return null;
        }
    }

    /**
     * KVM_IOEVENTFD, made {@code count} times at addr, addr+stride, ...
     *
     * @param datamatch  present only when {@code hasDatamatch} (sets KVM_IOEVENTFD_FLAG_DATAMATCH)
     * @param flags      extra bits ORed into the ioctl's flags
     */
    record Ioeventfd(StepMeta meta, FdRef eventfd, Bus bus, long addr, long len, boolean hasDatamatch, long datamatch,
                     boolean deassign, long flags, long count, long stride) implements HostStep {
        public Action action() { return Action.IOEVENTFD; }
    }

    /** KVM_IRQFD; {@code resample} null when not given. */
    record Irqfd(StepMeta meta, FdRef eventfd, long gsi, FdRef resample, boolean deassign, long flags) implements HostStep {
        public Action action() { return Action.IRQFD; }
    }

    /** KVM_SET_GSI_ROUTING: replaces the whole table. */
    record GsiRouting(StepMeta meta, List<RouteEntry> entries) implements HostStep {
        public GsiRouting {
            entries = List.copyOf(entries);
        }

        public Action action() { return Action.GSI_ROUTING; }
    }

    /** write(2) of an 8-byte value. */
    record EventfdWrite(StepMeta meta, FdRef eventfd, long value) implements HostStep {
        public Action action() { return Action.EVENTFD_WRITE; }
    }

    /** read(2); the result is {@code {value: N}} or an errno. */
    record EventfdRead(StepMeta meta, FdRef eventfd) implements HostStep {
        public Action action() { return Action.EVENTFD_READ; }
    }

    /** The in-kernel eventfd_signal, {@code n} times. */
    record EventfdSignal(StepMeta meta, FdRef eventfd, long n) implements HostStep {
        public Action action() { return Action.EVENTFD_SIGNAL; }
    }

    /** close(2) of the eventfd's descriptor. */
    record Close(StepMeta meta, FdRef eventfd) implements HostStep {
        public Action action() { return Action.CLOSE; }
    }

    /** KVM_IRQ_LINE_STATUS. */
    record IrqLine(StepMeta meta, long irq, long level) implements HostStep {
        public Action action() { return Action.IRQ_LINE; }
    }

    /** KVM_SIGNAL_MSI. */
    record SignalMsi(StepMeta meta, long address, long addressHi, long data, long flags) implements HostStep {
        public Action action() { return Action.SIGNAL_MSI; }
    }

    /** KVM_REGISTER_COALESCED_MMIO, made {@code count} times at addr, addr+stride, ... */
    record CoalescedMmio(StepMeta meta, Bus bus, long addr, long size, long count, long stride) implements HostStep {
        public Action action() { return Action.COALESCED_MMIO; }
    }

    /** Evaluates expectations at its time, without side effects. */
    record Check(StepMeta meta, List<Expectation> expectations) implements HostStep {
        public Check {
            expectations = List.copyOf(expectations);
        }

        public Action action() { return Action.CHECK; }
    }
}
