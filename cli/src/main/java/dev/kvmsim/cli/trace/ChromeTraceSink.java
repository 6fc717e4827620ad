package dev.kvmsim.cli.trace;

import dev.kvmsim.core.trace.TraceEvent;
import dev.kvmsim.core.trace.TraceSink;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the Chrome Trace Event JSON format (object form, {@code {"traceEvents":[...]}}) that
 * Perfetto and chrome://tracing open.
 *
 * <ul>
 * <li>One process ({@code pid} 1, the VM) and one track ({@code tid}) per task: each vCPU,
 *     kworker and host thread, named by {@code thread_name} metadata events, with the pids of
 *     {@link TaskIds}; vCPUs sort first.</li>
 * <li>Exits as complete ("X") events, from {@code kvm_exit} to the vCPU's next
 *     {@code kvm_entry}, named by exit reason.</li>
 * <li>Guest interrupt handlers as complete events, from the {@code kvm_entry} that follows a
 *     {@code kvm_inj_virq} on a vCPU (or the model's {@code guest_irq_handler} step, for a posted
 *     interrupt that needs no injection) to the vCPU's next exit (the EOI write's exit; with a
 *     virtualized EOI, whatever exit comes next) or its {@code kvm_eoi}, whichever is first.</li>
 * <li>Every other event as a zero-length complete event on its task's track, with the kernel
 *     function and the TP_printk fields as arguments.</li>
 * <li>Flow arrows ("s" then "t" steps then "f", sharing an id) along each notification's causal
 *     chain, as {@link NotificationFlows} finds it.</li>
 * </ul>
 * Events are streamed: a span is written when it ends, so memory is bounded by the number of
 * tasks, whatever the run's length. The file is closed properly even on Ctrl-C
 * ({@link TraceFile}).
 */
public final class ChromeTraceSink implements TraceSink {
    private static final int PID = 1;

    private final TraceFile file;
    private final TaskIds ids = new TaskIds();
    private final Map<String, VcpuState> vcpus = new HashMap<>();
    private final NotificationFlows flows = new NotificationFlows(this::flow);
    private final StringBuilder sb = new StringBuilder(512);
    private boolean first = true;

    /** Per-vCPU open spans; -1 means none open. */
    private static final class VcpuState {
        long exitStart = -1;
        String exitFields = "";
        String exitReason = "";
        int injectedVector = -1;
        long handlerStart = -1;
        int handlerVector = -1;
    }

    public ChromeTraceSink(TraceFile file, String processName) {
        this.file = file;
        file.write("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n");
        file.onClose(() -> file.write("\n]}\n"));
        sb.setLength(0);
        sb.append("{\"ph\":\"M\",\"pid\":").append(PID).append(",\"name\":\"process_name\",\"args\":{\"name\":");
        Json.string(sb, processName);
        sb.append("}}");
        emit();
    }

    @Override
    public void accept(TraceEvent e) {
        String task = e.task();
        int tid = tid(task);
        if (TaskIds.vcpuIndex(task) >= 0) {
            vcpuSpans(e, tid);
        }
        if (!e.event().equals("kvm_exit") && !e.event().equals("kvm_entry")) {
            instant(e, tid);
        }
        flows.accept(e);
    }

    private void vcpuSpans(TraceEvent e, int tid) {
        VcpuState v = vcpus.computeIfAbsent(e.task(), k -> new VcpuState());
        switch (e.event()) {
            case "kvm_exit" -> {
                // a handler ends where its vCPU next exits: the EOI write's exit, or, with a
                // virtualized EOI (APICv, no kvm_eoi), whatever the guest does next
                endHandler(v, tid, e.time(), "");
                v.exitStart = e.time();
                v.exitFields = e.fields();
                v.exitReason = TraceFields.exitReason(e.fields());
            }
            case "kvm_entry" -> {
                if (v.exitStart >= 0) {
                    span(tid, v.exitStart, e.time() - v.exitStart, v.exitReason.isEmpty() ? "exit" : v.exitReason,
                            "exit", e.function(), v.exitFields + " / " + e.fields());
                    v.exitStart = -1;
                }
                if (v.injectedVector >= 0 && v.handlerStart < 0) {
                    v.handlerStart = e.time();
                    v.handlerVector = v.injectedVector;
                    v.injectedVector = -1;
                }
            }
            case "kvm_inj_virq" -> v.injectedVector = (int) TraceFields.number(e.fields(), "IRQ");
            case "guest_irq_handler" -> {
                // a posted interrupt (APICv) reaches the handler with no kvm_inj_virq before it
                if (v.handlerStart < 0) {
                    v.handlerStart = e.time();
                    v.handlerVector = (int) TraceFields.number(e.fields(), "vector");
                    v.injectedVector = -1;
                }
            }
            case "kvm_eoi" -> endHandler(v, tid, e.time(), e.fields());
            default -> { }
        }
    }

    private void endHandler(VcpuState v, int tid, long end, String fields) {
        if (v.handlerStart >= 0) {
            span(tid, v.handlerStart, Math.max(0, end - v.handlerStart),
                    "handler vec 0x" + Integer.toHexString(v.handlerVector), "guest", "", fields);
            v.handlerStart = -1;
        }
    }

    private void instant(TraceEvent e, int tid) {
        span(tid, e.time(), 0, e.event(), e.tracepoint() ? "tracepoint" : "model", e.function(), e.fields());
    }

    private void span(int tid, long ts, long dur, String name, String cat, String function, String fields) {
        sb.setLength(0);
        sb.append("{\"ph\":\"X\",\"pid\":").append(PID).append(",\"tid\":").append(tid).append(",\"ts\":");
        Json.micros(sb, ts);
        sb.append(",\"dur\":");
        Json.micros(sb, dur);
        sb.append(",\"name\":");
        Json.string(sb, name);
        sb.append(",\"cat\":");
        Json.string(sb, cat);
        sb.append(",\"args\":{");
        if (!function.isEmpty()) {
            sb.append("\"function\":");
            Json.string(sb, function);
            sb.append(',');
        }
        sb.append("\"fields\":");
        Json.string(sb, fields);
        sb.append("}}");
        emit();
    }

    /** Writes one flow event: phase "s", "t" or "f", bound to the slice enclosing {@code e}. */
    private void flow(String phase, long id, TraceEvent e) {
        int tid = tid(e.task());
        sb.setLength(0);
        sb.append("{\"ph\":\"").append(phase).append("\",\"pid\":").append(PID)
                .append(",\"tid\":").append(tid).append(",\"ts\":");
        Json.micros(sb, e.time());
        sb.append(",\"id\":").append(id).append(",\"name\":\"notification\",\"cat\":\"flow\"");
        if (!phase.equals("s")) {
            sb.append(",\"bp\":\"e\"");
        }
        sb.append('}');
        emit();
    }

    private int tid(String task) {
        if (ids.known(task)) {
            return ids.pid(task);
        }
        int tid = ids.pid(task);
        sb.setLength(0);
        sb.append("{\"ph\":\"M\",\"pid\":").append(PID).append(",\"tid\":").append(tid)
                .append(",\"name\":\"thread_name\",\"args\":{\"name\":");
        Json.string(sb, task);
        sb.append("}}");
        emit();
        sb.setLength(0);
        sb.append("{\"ph\":\"M\",\"pid\":").append(PID).append(",\"tid\":").append(tid)
                .append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":").append(tid).append("}}");
        emit();
        return tid;
    }

    /**
     * Writes the event in {@code sb} with its separator in ONE call: the shutdown hook may close
     * the array between two calls, and a dangling comma would make the file invalid JSON.
     */
    private void emit() {
        if (!first) {
            sb.insert(0, ",\n");
        }
        first = false;
        file.write(sb.toString());
    }

    @Override
    public void close() {
        file.close();
    }
}
