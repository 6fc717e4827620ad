package dev.kvmsim.scenarios.run;

import dev.kvmsim.core.Durations;
import dev.kvmsim.core.stats.LatencyRecorder;
import dev.kvmsim.kvm.eventfd.EventfdCounters;
import dev.kvmsim.kvm.host.HostThread;
import dev.kvmsim.kvm.vcpu.ExitReason;
import dev.kvmsim.kvm.vcpu.UserspaceExitKind;
import dev.kvmsim.kvm.host.UserspaceVmm;
import dev.kvmsim.scenarios.Report;
import dev.kvmsim.scenarios.model.Comparison;
import dev.kvmsim.scenarios.model.Expectation;

import java.util.List;
import java.util.Map;

/**
 * Evaluates expectations against the current state of a run (at the end, or at a
 * {@code check} step's time). Reading never changes the state: an eventfd's counter is read
 * without consuming it. Each key of an expectation gives its own result.
 */
final class Evaluator {
    private final Run run;

    Evaluator(Run run) {
        this.run = run;
    }

    void evaluate(Expectation e, String where, List<Report.ExpectationResult> out) {
        if (e instanceof Expectation.Eventfd x) {
            EventfdCounters ctx = run.ctxOf.get(x.eventfd());
            if (x.counter() != null) {
                out.add(count(where + ": eventfd " + x.eventfd() + " counter", x.counter(), ctx.count()));
            }
            if (x.signals() != null) {
                out.add(count(where + ": eventfd " + x.eventfd() + " signals", x.signals(), ctx.signals()));
            }
        } else if (e instanceof Expectation.Vcpu x) {
            long actual = run.vm().delivered(x.vcpu(), x.vector());
            String what = x.vector() < 0 ? "all vectors" : String.format("vector 0x%02x", x.vector());
            out.add(count(where + ": vcpu " + x.vcpu() + " delivered (" + what + ")", x.delivered(), actual));
        } else if (e instanceof Expectation.Exits x) {
            long actual = 0;
            for (int v = 0; v < run.vm().vcpuCount(); v++) {
                if (x.vcpu() >= 0 && v != x.vcpu()) {
                    continue;
                }
                for (ExitReason r : ExitReason.values()) {
                    if (x.reason() == null || r.name().equals(x.reason())) {
                        actual += run.vm().exits(v, r);
                    }
                }
            }
            out.add(count(where + ": exits (" + (x.vcpu() < 0 ? "all vCPUs" : "vcpu " + x.vcpu()) + ", "
                    + (x.reason() == null ? "all reasons" : x.reason()) + ")", x.count(), actual));
        } else if (e instanceof Expectation.UserspaceExits x) {
            // without a kind: the contract's kinds, KVM_EXIT_MMIO and KVM_EXIT_IO (KVM_EXIT_IOAPIC_EOI only when named)
            long actual = 0;
            for (Map.Entry<UserspaceVmm.ExitKey, Long> c : run.vm().userspaceExitCounts().entrySet()) {
                UserspaceVmm.ExitKey k = c.getKey();
                if ((x.kind() == null ? k.kind() != UserspaceExitKind.IOAPIC_EOI : k.kind().scenarioName().equals(x.kind()))
                        && (!x.hasAddr() || k.addr() == x.addr()) && (!x.hasLen() || k.len() == x.len())
                        && (!x.hasData() || k.data() == x.data())) {
                    actual += c.getValue();
                }
            }
            StringBuilder d = new StringBuilder(where + ": userspace_exits (");
            d.append(x.kind() == null ? "mmio and io" : x.kind());
            if (x.hasAddr()) {
                d.append(" addr 0x").append(Long.toHexString(x.addr()));
            }
            if (x.hasLen()) {
                d.append(" len ").append(x.len());
            }
            if (x.hasData()) {
                d.append(" data 0x").append(Long.toHexString(x.data()));
            }
            out.add(count(d.append(')').toString(), x.count(), actual));
        } else if (e instanceof Expectation.Latency x) {
            LatencyRecorder rec = run.sim().stats().latencies().get(x.metric());
            for (Map.Entry<String, Comparison> s : x.stats().entrySet()) {
                String desc = where + ": latency " + x.metric() + " " + s.getKey();
                if (rec == null || rec.count() == 0) {
                    boolean countZero = s.getKey().equals("count") && s.getValue().test(0);
                    out.add(new Report.ExpectationResult(desc, s.getValue().text(), "no samples", countZero));
                    continue;
                }
                long actual = statistic(rec, s.getKey());
                boolean isCount = s.getKey().equals("count");
                out.add(new Report.ExpectationResult(desc, s.getValue().text(),
                        isCount ? Long.toString(actual) : Durations.format(actual), s.getValue().test(actual)));
            }
        } else if (e instanceof Expectation.Thread x) {
            HostThread t = run.threads.get(x.thread());
            if (x.wakeups() != null) {
                out.add(count(where + ": thread " + x.thread() + " wakeups", x.wakeups(), t.wakeups()));
            }
            if (x.services() != null) {
                out.add(count(where + ": thread " + x.thread() + " services", x.services(), t.services()));
            }
            if (x.polledWakeups() != null) {
                out.add(count(where + ": thread " + x.thread() + " polled_wakeups", x.polledWakeups(), t.polledWakeups()));
            }
        } else if (e instanceof Expectation.HaltPoll x) {
            Map<String, Long> actual = Run.haltPollStats(run.vm(), x.vcpu());
            for (Map.Entry<String, Comparison> s : x.stats().entrySet()) {
                long a = actual.getOrDefault(s.getKey(), s.getKey().equals("halt_poll_ns") ? run.vm().haltPollNs(x.vcpu()) : 0L);
                out.add(count(where + ": vcpu " + x.vcpu() + " halt_poll " + s.getKey(), s.getValue(), a));
            }
        } else {
            throw new IllegalArgumentException("unknown expectation " + e);
        }
    }

    private static Report.ExpectationResult count(String description, Comparison c, long actual) {
        return new Report.ExpectationResult(description, c.text(), Long.toUnsignedString(actual), c.test(actual));
    }

    static long statistic(LatencyRecorder r, String name) {
        return switch (name) {
            case "p50" -> r.percentile(50);
            case "p90" -> r.percentile(90);
            case "p99" -> r.percentile(99);
            case "max" -> r.max();
            case "min" -> r.min();
            case "mean" -> r.meanNs();
            case "count" -> r.count();
            default -> throw new IllegalArgumentException("unknown statistic " + name);
        };
    }

    static Report.LatencyStats stats(LatencyRecorder r) {
        return new Report.LatencyStats(r.count(), r.percentile(50), r.percentile(90), r.percentile(99), r.max(), r.meanNs(), r.min());
    }
}
