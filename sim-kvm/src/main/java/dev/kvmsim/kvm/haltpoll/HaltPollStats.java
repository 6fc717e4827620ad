package dev.kvmsim.kvm.haltpoll;

/**
 * One vCPU's halt-polling statistics, as the kernel keeps them in {@code struct
 * kvm_vcpu_stat_generic} (include/linux/kvm_types.h) and updates them in virt/kvm/kvm_main.c
 * update_halt_poll_stats, kvm_vcpu_halt and kvm_vcpu_wake_up. A snapshot; see
 * {@link HaltPoller#stats()}.
 *
 * @param successfulPoll  {@code halt_successful_poll}: halts that polled and were never scheduled out
 * @param attemptedPoll   {@code halt_attempted_poll}: halts that polled (successful or not)
 * @param pollInvalid     {@code halt_poll_invalid}: successful polls ended by an invalid wakeup
 * @param wakeup          {@code halt_wakeup}: wakeups of a vCPU blocked in kvm_vcpu_block
 * @param pollSuccessNs   {@code halt_poll_success_ns}: time spent in polls that succeeded
 * @param pollFailNs      {@code halt_poll_fail_ns}: time spent in polls that did not
 * @param waitNs          {@code halt_wait_ns}: time blocked after the poll ended
 * @param halts           calls of kvm_vcpu_halt (not a kernel statistic: the number of kvm_vcpu_wakeup events)
 */
public record HaltPollStats(long successfulPoll, long attemptedPoll, long pollInvalid, long wakeup,
                            long pollSuccessNs, long pollFailNs, long waitNs, long halts) {
    /** Host CPU time spent polling: {@code halt_poll_success_ns + halt_poll_fail_ns}. */
    public long pollNs() {
        return pollSuccessNs + pollFailNs;
    }

    /** The names the report and expectations use, in report order. */
    public static final java.util.List<String> NAMES = java.util.List.of(
            "halt_successful_poll", "halt_attempted_poll", "halt_poll_invalid", "halt_wakeup",
            "halt_poll_success_ns", "halt_poll_fail_ns", "halt_wait_ns", "poll_cpu_ns");

    /** The statistic called {@code name} (one of {@link #NAMES}). */
    public long get(String name) {
        return switch (name) {
            case "halt_successful_poll" -> successfulPoll;
            case "halt_attempted_poll" -> attemptedPoll;
            case "halt_poll_invalid" -> pollInvalid;
            case "halt_wakeup" -> wakeup;
            case "halt_poll_success_ns" -> pollSuccessNs;
            case "halt_poll_fail_ns" -> pollFailNs;
            case "halt_wait_ns" -> waitNs;
            case "poll_cpu_ns" -> pollNs();
            default -> throw new IllegalArgumentException("unknown halt-poll statistic " + name);
        };
    }
}
