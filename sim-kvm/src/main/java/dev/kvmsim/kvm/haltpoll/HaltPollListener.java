package dev.kvmsim.kvm.haltpoll;

/**
 * What {@link HaltPoller} reports as it goes: the kernel's two halt-polling tracepoints
 * (include/trace/events/kvm.h). Called only when the listener is set; the vCPU turns them into
 * trace events when tracing is on.
 */
public interface HaltPollListener {
    /** Tracepoint kvm_halt_poll_ns (grow_halt_poll_ns / shrink_halt_poll_ns); {@code newNs}, {@code oldNs} unsigned int. */
    void haltPollNs(boolean grow, int vcpuId, long newNs, long oldNs);

    /** Tracepoint kvm_vcpu_wakeup at the end of kvm_vcpu_halt. */
    void vcpuWakeup(long ns, boolean waited, boolean valid);

    /** Reports nothing. */
    HaltPollListener NONE = new HaltPollListener() {
        @Override public void haltPollNs(boolean grow, int vcpuId, long newNs, long oldNs) { }
        @Override public void vcpuWakeup(long ns, boolean waited, boolean valid) { }
    };
}
