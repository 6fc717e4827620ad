package dev.kvmsim.scenarios;

import dev.kvmsim.core.Durations;

import java.util.Map;

/** The human summary {@code kvmsim run} prints: what ran, what failed, the key figures. */
public final class Summary {
    private Summary() {}

    public static String text(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append("scenario ").append(r.scenario()).append(" (seed ").append(Long.toUnsignedString(r.seed())).append("): ")
                .append(Durations.format(r.simulatedNs())).append(" simulated, ").append(r.events()).append(" events\n");
        long expectedSteps = r.steps().stream().filter(s -> s.expected() != null).count();
        sb.append("steps: ").append(r.steps().size()).append(" run, ").append(expectedSteps).append(" with expect, ")
                .append(r.failedSteps().size()).append(" failed\n");
        for (Report.StepResult s : r.failedSteps()) {
            sb.append("  FAIL host[").append(s.index()).append("] (line ").append(s.line()).append(") ").append(s.action())
                    .append(": expected ").append(s.expected()).append(", got ").append(s.result()).append('\n');
        }
        for (Report.StepResult s : r.unexpectedStepErrors()) {
            sb.append("  note host[").append(s.index()).append("] (line ").append(s.line()).append(") ").append(s.action())
                    .append(" failed: ").append(s.result()).append('\n');
        }
        for (Report.StepResult s : r.steps()) {
            if (s.completion() != null) {
                sb.append("  host[").append(s.index()).append("] ").append(s.action()).append(" blocked; ").append(s.completion()).append('\n');
            }
        }
        for (Map.Entry<String, Report.EventfdState> e : r.eventfds().entrySet()) {
            sb.append("eventfd ").append(e.getKey()).append(": counter ").append(Long.toUnsignedString(e.getValue().counter()))
                    .append(", signals ").append(Long.toUnsignedString(e.getValue().signals())).append('\n');
        }
        for (Report.VcpuState v : r.vcpus()) {
            sb.append("vcpu ").append(v.vcpu()).append(": delivered");
            if (v.delivered().isEmpty()) {
                sb.append(" none");
            }
            v.delivered().forEach((vec, n) -> sb.append(String.format(" 0x%02x x%d", vec, n)));
            sb.append("; exits");
            if (v.exits().isEmpty()) {
                sb.append(" none");
            }
            v.exits().forEach((reason, n) -> sb.append(' ').append(reason).append(" x").append(n));
            sb.append('\n');
            Map<String, Long> hp = v.haltPoll();
            if (!hp.isEmpty() && hp.get("halt_successful_poll") + hp.get("halt_wakeup") + hp.get("poll_cpu_ns") > 0) {
                long failedPolls = hp.get("halt_attempted_poll") - hp.get("halt_successful_poll");
                sb.append("vcpu ").append(v.vcpu()).append(" halt polling: ").append(hp.get("halt_successful_poll"))
                        .append(" wakeups polled, ").append(hp.get("halt_wakeup")).append(" slept (").append(failedPolls)
                        .append(" polls failed); window now ").append(Durations.format(hp.get("halt_poll_ns")))
                        .append("; host CPU polling ").append(Durations.format(hp.get("poll_cpu_ns"))).append('\n');
                if (hp.containsKey("guest_polls")) {
                    sb.append("vcpu ").append(v.vcpu()).append(" guest haltpoll: ").append(hp.get("guest_polls")).append(" polls (")
                            .append(hp.get("guest_polls_timed_out")).append(" ran out), ").append(hp.get("guest_halts"))
                            .append(" halts; poll limit now ").append(Durations.format(hp.get("guest_poll_limit_ns")))
                            .append("; guest CPU polling ").append(Durations.format(hp.get("guest_poll_ns"))).append('\n');
                }
            }
        }
        for (Report.ThreadState t : r.threads()) {
            sb.append("thread ").append(t.name()).append(": ").append(t.services()).append(" services; wakeups ")
                    .append(t.polledWakeups()).append(" polled, ").append(t.wakeups()).append(" slept; host CPU polling ")
                    .append(Durations.format(t.pollCpuNs())).append('\n');
        }
        for (Report.CpuUse c : r.cpuUse()) {
            sb.append("cpu use ").append(c.task()).append(" (cpu ").append(c.cpu()).append("): ran ").append(Durations.format(c.runNs()))
                    .append(", waited runnable ").append(Durations.format(c.runnableWaitNs())).append(" (").append(c.delayedSwitches())
                    .append(" times)\n");
        }
        long us = r.userspaceExits().stream().mapToLong(Report.UserspaceExitCount::count).sum();
        sb.append("userspace exits: ").append(us).append('\n');
        for (Map.Entry<String, Report.LatencyStats> e : r.latencies().entrySet()) {
            Report.LatencyStats l = e.getValue();
            sb.append("latency ").append(e.getKey()).append(": n=").append(l.count()).append(" p50 ").append(Durations.format(l.p50()))
                    .append(" p99 ").append(Durations.format(l.p99())).append(" max ").append(Durations.format(l.max()))
                    .append(" mean ").append(Durations.format(l.mean())).append('\n');
        }
        long failed = r.failures().size();
        sb.append("expectations: ").append(r.expectations().size() - failed).append(" passed, ").append(failed).append(" failed\n");
        for (Report.ExpectationResult x : r.failures()) {
            sb.append("  FAIL ").append(x.description()).append(": expected ").append(x.expected()).append(", actual ").append(x.actual()).append('\n');
        }
        if (r.stopped() != null) {
            sb.append("STOPPED: ").append(r.stopped()).append('\n');
        }
        sb.append(r.passed() ? "PASS\n" : "FAIL\n");
        return sb.toString();
    }
}
